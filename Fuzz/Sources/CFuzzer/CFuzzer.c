// The declarations of CFuzzer.h are defined by libFuzzer, linked with `-sanitize=fuzzer`.
#include "CFuzzer.h"
