import { InProcessRateLimiter } from '@ereg/shared';
import { describeRateLimiterContract } from './rate-limiter-contract.ts';

// One process: every "instance" is the process's one limiter.
describeRateLimiterContract(
  'in process',
  async (clock) => {
    const limiter = new InProcessRateLimiter(clock);
    return { instance: () => limiter, close: async () => {} };
  },
  { instances: 1, parallel: 200 },
);
