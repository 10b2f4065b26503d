/*
 * plugboard.h - Plugboard native plugin ABI, major version 1, minor version 1.
 *
 * A native plugin is a shared library that exports one function per ABI major it speaks
 * (plugboard_entry_v1 for this header). The host passes a host table; the plugin returns a
 * descriptor it owns. Rules that hold for everything below:
 *  - Every struct starts with magic, struct_size, abi_major, abi_minor. Minor versions only
 *    append fields at the end; neither side reads past the size the other side declared.
 *  - Strings are UTF-8 (pointer, length) pairs passed as two scalar arguments; not
 *    NUL-terminated; NULL is allowed only with length 0. Invalid UTF-8 is an error status.
 *  - No memory changes owner. Inputs are borrowed for the duration of the call. Variable-size
 *    outputs go through a caller-owned sink (ctx + write function).
 *  - Functions return pb_status: 0 is success, negative values are errors. Nothing unwinds
 *    across the boundary (C++: noexcept, Rust: catch_unwind, C#: catch every exception).
 *  - Optional features are reached through versioned interface ids such as "notebook.notes/1".
 *  - Each function's comment states its thread rule and who owns what, in one line each.
 *  - Per-call tokens (1.1): call_ctx and out_ctx of invoke are tokens valid only during that invoke, on the thread
 *    that received them. Used after the call, from another thread, or in another call, the host answers
 *    PB_ERR_NO_CALL and touches nothing; never keep them.
 *  - Re-entrancy (1.1): the host never re-enters a plugin without PB_FLAG_THREAD_SAFE (a host callback that leads
 *    the host to call the same plugin again on the same thread fails in the host with PB0412).
 *  - Bounds (1.1): init, shutdown and (when the host sets a deadline) invoke are timed; past the limit the host
 *    abandons the plugin (the thread cannot be stopped). One invoke's output is capped; past the cap the sink
 *    answers PB_ERR_BUFFER_TOO_SMALL.
 * Minor 1 adds rules and PB_ERR_REENTERED, no fields: plugins built against 1.0 load unchanged.
 * See docs/native-abi.md for the full reference.
 */
#ifndef PLUGBOARD_H
#define PLUGBOARD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define PLUGBOARD_EXPORT __declspec(dllexport)
#else
#define PLUGBOARD_EXPORT __attribute__((visibility("default")))
#endif

#define PLUGBOARD_ABI_MAJOR 1
#define PLUGBOARD_ABI_MINOR 1

/* 'PBHT' and 'PBPD' little-endian: tell a host table from a plugin descriptor in a dump. */
#define PLUGBOARD_HOST_MAGIC 0x54484250u
#define PLUGBOARD_PLUGIN_MAGIC 0x44504250u

/* Status codes: 0 ok, negative errors. Plugins may return other negative values; the host reports them as is. */
typedef int32_t pb_status;
#define PB_OK 0
#define PB_ERR_FAILED (-1)            /* generic failure; call set_error first to say why */
#define PB_ERR_INVALID_ARGUMENT (-2)  /* an argument was NULL, out of range or malformed */
#define PB_ERR_UNSUPPORTED (-3)       /* unknown operation or interface */
#define PB_ERR_NOT_FOUND (-4)         /* the thing asked for does not exist */
#define PB_ERR_INVALID_UTF8 (-5)      /* a string was not valid UTF-8 */
#define PB_ERR_PANIC (-6)             /* the plugin caught a panic or exception at its boundary */
#define PB_ERR_BUFFER_TOO_SMALL (-7)  /* a sink or buffer could not take the output (also: the per-call output cap) */
#define PB_ERR_NO_CALL (-8)           /* a call token (call_ctx, out_ctx) was used outside its call or thread */
#define PB_ERR_REENTERED (-9)         /* 1.1: the plugin refuses a call that would re-enter it on a thread where it runs */

/* Log levels (values match Plugboard.PluginLogLevel). */
#define PB_LOG_TRACE 0
#define PB_LOG_DEBUG 1
#define PB_LOG_INFO 2
#define PB_LOG_WARNING 3
#define PB_LOG_ERROR 4
#define PB_LOG_CRITICAL 5

/* Descriptor flags. */
#define PB_FLAG_THREAD_SAFE ((uint64_t)1)  /* invoke may run on several threads at once and be re-entered; otherwise the host serializes it and never re-enters it */
#define PB_FLAG_UNLOADABLE ((uint64_t)2)   /* the library may be dlclose'd after shutdown (never set for Rust with TLS or NativeAOT) */

/* Output sink: the receiver owns ctx and the storage behind it; write copies the bytes before returning.
 * Thread: the thread that received the sink, only during the call that received it (else PB_ERR_NO_CALL). Ownership: data borrowed, copied before return. */
typedef pb_status (*pb_write_fn)(void *sink_ctx, const char *data, size_t data_len);

/* The table the host passes to the entry function. Owned by the host; readable from entry on (never freed); host_ctx stops working when shutdown returns. */
typedef struct pb_host {
    uint32_t magic;       /* PLUGBOARD_HOST_MAGIC */
    uint32_t struct_size; /* sizeof(pb_host) as the host compiled it; read no field beyond it */
    uint32_t abi_major;   /* PLUGBOARD_ABI_MAJOR of the host */
    uint32_t abi_minor;   /* PLUGBOARD_ABI_MINOR of the host; fields of later minors are appended below */
    void *host_ctx;       /* opaque; pass it back as the first argument of every host function */
    /* Writes a log line. Thread: any. Ownership: msg borrowed for the call. After shutdown returns: PB_ERR_INVALID_ARGUMENT. */
    pb_status (*log)(void *host_ctx, int32_t level, const char *msg, size_t msg_len);
    /* Records why the current call is failing; the host attaches it to the error it raises. Thread: the thread of the failing call, before it returns. Ownership: msg copied by the host. */
    pb_status (*set_error)(void *host_ctx, int32_t code, const char *msg, size_t msg_len);
    /* Finds a host interface by versioned id ("notebook.notes/1"); NULL when absent. Thread: any. Ownership: the returned table is host-owned and lives until shutdown returns. */
    const void *(*get_interface)(void *host_ctx, const char *id, size_t id_len);
} pb_host;

/* The descriptor the plugin returns from its entry function. Owned by the plugin; must stay valid and unchanged until the library is unloaded. */
typedef struct pb_plugin {
    uint32_t magic;       /* PLUGBOARD_PLUGIN_MAGIC */
    uint32_t struct_size; /* sizeof(pb_plugin) as the plugin compiled it */
    uint32_t abi_major;   /* must equal the major in the entry function's name */
    uint32_t abi_minor;   /* the minor the plugin was compiled against */
    const char *id;       /* UTF-8, plugin-owned; should equal the manifest id */
    size_t id_len;
    const char *name;     /* UTF-8, plugin-owned; human-readable name */
    size_t name_len;
    const char *version;  /* UTF-8, plugin-owned; semantic version */
    size_t version_len;
    uint64_t flags;       /* PB_FLAG_* */
    void *plugin_ctx;     /* opaque; passed back as the first argument of every plugin function */
    /* Required. Called once after entry, before anything else; host may be kept until shutdown returns. Thread: the thread that called entry; bounded by the host's init timeout. Ownership: host borrowed until shutdown returns. */
    pb_status (*init)(void *plugin_ctx, const pb_host *host);
    /* Required. Called once, last; no call is in flight and none follows. Thread: one host thread, never concurrent with another function of the plugin; bounded by the host's shutdown timeout. Ownership: nothing passed. */
    void (*shutdown)(void *plugin_ctx);
    /* Optional (may be NULL). Plugin interface by versioned id; NULL when absent. Thread: any. Ownership: plugin-owned table valid until unload. */
    const void *(*get_interface)(void *plugin_ctx, const char *id, size_t id_len);
    /* Required. Runs operation op on input; writes output to (out_ctx, out_write). call_ctx is this call's token for call-scoped host interfaces.
     * Thread: any host thread; serialized and never re-entered unless PB_FLAG_THREAD_SAFE. Ownership: op, input borrowed; call_ctx, out_ctx valid only during this call on this thread; output copied by the sink. */
    pb_status (*invoke)(void *plugin_ctx, void *call_ctx, const char *op, size_t op_len, const char *input,
                        size_t input_len, void *out_ctx, pb_write_fn out_write);
} pb_plugin;

/* The entry function every ABI-1 plugin exports. Returns the plugin's descriptor, or NULL after calling
 * host->set_error. Thread: host's loading thread, once per load. Ownership: host borrowed until shutdown; result plugin-owned. */
typedef const pb_plugin *(*pb_entry_v1_fn)(const pb_host *host);
#define PLUGBOARD_ENTRY_V1_NAME "plugboard_entry_v1"

#ifdef __cplusplus
}
#endif

#endif /* PLUGBOARD_H */
