import type { GroupAction } from './action.ts';
import { createGroup } from './createGroup.ts';
import { createInvite } from './createInvite.ts';
import { deleteEvent } from './deleteEvent.ts';
import { deleteGroup } from './deleteGroup.ts';
import { editMetadata } from './editMetadata.ts';
import { join } from './join.ts';
import { leave } from './leave.ts';
import { putUser } from './putUser.ts';
import { removeUser } from './removeUser.ts';

/** Every NIP-29 action the relay carries out, by kind. */
export const ACTIONS: ReadonlyMap<number, GroupAction> = new Map(
  [putUser, removeUser, editMetadata, deleteEvent, createGroup, deleteGroup, createInvite, join, leave].map((a) => [a.kind, a]),
);
export type { ActionInput, Effect, GroupAction } from './action.ts';
