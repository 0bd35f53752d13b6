/** The part of redlock 4's API the benchmark uses (the package ships no types). */
declare module 'redlock4' {
  interface Lock4 {
    unlock(): Promise<void>;
    extend(ttl: number): Promise<Lock4>;
    attempts: number;
  }
  interface Redlock4Options {
    driftFactor?: number;
    retryCount?: number;
    retryDelay?: number;
    retryJitter?: number;
  }
  class Redlock4 {
    constructor(clients: readonly unknown[], options?: Redlock4Options);
    lock(resource: string, ttl: number): Promise<Lock4>;
    on(event: 'clientError', listener: (error: unknown) => void): this;
  }
  export default Redlock4;
}
