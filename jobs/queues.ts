// Redis connections and queues. Producers (the relay) fail fast when Redis is away, so an
// outbox row simply stays for the next attempt; workers wait for Redis as long as it takes.
import { Queue, type DefaultJobOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { queueNames, type QueueName } from './job';

export function producerConnection(url: string): Redis {
  return new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: false });
}

export function workerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

export const jobOptions: DefaultJobOptions = {
  attempts: 8,
  // 2 s, 4 s, 8 s … about 4 minutes in all before a job is left failed for an operator.
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 5000 },
};

export type Queues = Record<QueueName, Queue>;

export function openQueues(connection: Redis, prefix: string): Queues {
  return Object.fromEntries(queueNames.map((name) => [name, new Queue(name, { connection, prefix, defaultJobOptions: jobOptions })])) as Queues;
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
