import {
  type Connect,
  describeLockBehaviour,
  fairMode,
  singleNodeTarget,
} from '@deadbolt/testkit/suite';
import { fromSolidis } from '../src/index.js';
import { SolidisFeaturedClient } from './solidis-stand-in.js';

// The behaviour suite every adapter passes, run through the solidis STAND-IN (solidis itself
// cannot be installed here): RESP2 and RESP3 with wake-ups, and polling without a subscriber.
const connect =
  (protocol: 'RESP2' | 'RESP3', wakeUps: boolean): Connect =>
  async ([node]) => {
    const options = { port: node!.port, protocol };
    const client = new SolidisFeaturedClient(options);
    const subscriber = () => new SolidisFeaturedClient(options);
    return {
      client: fromSolidis(client, wakeUps ? { subscriber } : {}),
      close: async () => client.quit(),
    };
  };

describeLockBehaviour(singleNodeTarget('solidis stand-in · RESP2', connect('RESP2', true)));
describeLockBehaviour(singleNodeTarget('solidis stand-in · RESP3', connect('RESP3', true)));
describeLockBehaviour(
  singleNodeTarget('solidis stand-in · polling', connect('RESP2', false), false),
);
describeLockBehaviour(
  fairMode(singleNodeTarget('solidis stand-in · RESP2', connect('RESP2', true))),
);
