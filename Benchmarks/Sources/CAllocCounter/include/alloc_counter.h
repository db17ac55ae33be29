#ifndef ALLOC_COUNTER_H
#define ALLOC_COUNTER_H
#include <stdint.h>
/* Counts heap allocations between start and stop by interposing malloc and
   friends (glibc only; elsewhere the count stays 0). */
void alloc_counter_start(void);
void alloc_counter_stop(void);
uint64_t alloc_counter_allocations(void);
#endif
