// Replay from the console: a dry run says how many messages will move, the reader confirms, then they move.
import { post } from './api.js';
import { confirmAction } from './confirm.js';
import { say } from './dom.js';

/** Replays { queue, call_id } after confirmation; resolves to the result, or null when nothing moved. */
export async function replay(selection, what) {
  const preview = await post('replay', { ...selection, confirm: false });
  if (preview.count === 0) {
    say(`Nothing to replay: no message of ${what} is in a poison queue.`);
    return null;
  }
  const queues = preview.queues.map(q => `${q.count} from ${q.poison_queue} to ${q.target_queue}`).join('; ');
  const ok = await confirmAction('Replay', `${preview.count} message${preview.count === 1 ? '' : 's'} will move back to work (${queues}).`, `Replay ${preview.count}`);
  if (!ok) {
    say('Replay cancelled.');
    return null;
  }
  const result = await post('replay', { ...selection, confirm: true });
  say(`Replayed ${result.count} message${result.count === 1 ? '' : 's'}.`);
  return result;
}
