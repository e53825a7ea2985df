// libFuzzer's driver, for executables that keep their own `main` (SwiftPM gives every executable
// target one): it parses libFuzzer's flags from argv and runs the callback on every input.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
