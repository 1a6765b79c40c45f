// The VAPID `sub` claim rules live in src/shared (the renderer checks them live); main applies the same.
export { validateSubject } from '../../../shared/vapid-subject.ts';
