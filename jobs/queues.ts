// Redis connections and queues. Producers (the relay) fail fast when Redis is away, so an
// outbox row simply stays for the next attempt; workers wait for Redis as long as it takes.
// A single server, a Cluster or a Sentinel group (redis.ts): the same queues on each.
import { Queue, type DefaultJobOptions } from 'bullmq';
import type { Logger } from '#app/logger.server';
import { queueNames, type QueueName } from './kinds';
import { redisClient, type RedisClient, type RedisTarget } from './redis';

export function producerConnection(target: RedisTarget | string, log?: Logger): RedisClient {
  return redisClient(target, 'producer', log);
}

export function workerConnection(target: RedisTarget | string, log?: Logger): RedisClient {
  return redisClient(target, 'worker', log);
}

export const jobOptions: DefaultJobOptions = {
  attempts: 8,
  // 2 s, 4 s, 8 s … about 4 minutes in all before a job is left failed for an operator.
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 5000 },
};

export type Queues = Record<QueueName, Queue>;

export function openQueues(connection: RedisClient, prefix: string, log?: Logger): Queues {
  return Object.fromEntries(
    queueNames.map((name) => {
      const queue = new Queue(name, { connection, prefix, defaultJobOptions: jobOptions });
      // The connection's own handler logs the outage; the queue's echo of it adds nothing.
      queue.on('error', (err) => log?.debug({ queue: name, error: err.message }, 'queue error'));
      return [name, queue];
    }),
  ) as Queues;
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
