// What a page receives to send the user elsewhere.
import type { AreaId } from './areas.ts';

export type Navigate = (area: AreaId) => void;
