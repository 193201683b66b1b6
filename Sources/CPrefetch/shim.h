// Asks the CPU to start bringing the cache line holding `address` in. A prefetch is a
// hint, not a read: it never faults and cannot race with a writer on another thread.
static inline void sluice_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }
