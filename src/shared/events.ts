// Events from main to the renderer that belong to the shell itself.
import { event, type ChangeScope } from './channel.ts';

export const shellEvents = {
  /** Something in the database changed; the renderer invalidates the queries under these key roots. */
  'data.changed': event<{ scopes: ChangeScope[] }>(),
};
