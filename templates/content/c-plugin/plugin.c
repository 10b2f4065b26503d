/*
 * hello-c: a native Plugboard plugin (C).
 *
 * PREVIEW TEMPLATE. Plugboard's native ABI (native/include/plugboard.h, docs/native-abi.md) is not part of the
 * release this template shipped with, so this file only declares the entry point the host looks for:
 *
 *     const pb_plugin *plugboard_entry_v1(const pb_host *host);
 *
 * It returns NULL ("no plugin"), which the host reports as a load error. Once the ABI is available, include
 * plugboard.h, return a static pb_plugin descriptor (magic, struct_size, abi_major = 1, id, init, shutdown,
 * invoke) and keep every exported function from unwinding.
 */
#include <stddef.h>

#if defined(_WIN32)
#define HELLO_EXPORT __declspec(dllexport)
#else
#define HELLO_EXPORT __attribute__((visibility("default")))
#endif

HELLO_EXPORT const void *plugboard_entry_v1(const void *host);

HELLO_EXPORT const void *plugboard_entry_v1(const void *host)
{
    (void)host;
    return NULL;
}
