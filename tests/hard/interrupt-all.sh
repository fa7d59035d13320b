#!/bin/sh
# Every interruption point with every signal on every scenario (about 2 min):
# tests/integration/test_interrupt.c with IPCT_HARD=1. make test tries each point once.
IPCT_HARD=1 exec "${OUTPUT:-.output}/tests/test_interrupt"
