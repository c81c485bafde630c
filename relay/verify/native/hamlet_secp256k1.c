/*
 * Hamlet's native Schnorr verifier: BIP-340 verification through the system libsecp256k1
 * (Debian's libsecp256k1-dev), exposed with plain Node-API.
 *
 *   verify(sig64: Uint8Array, msg32: Uint8Array, pubkey32: Uint8Array): boolean
 *   sign(msg32, seckey32, aux32): Uint8Array(64) | null   (benchmarks pre-sign with it)
 *
 * Each Node environment (main thread or worker) gets its own context and pubkey cache, so
 * worker threads never share mutable state.
 */
#include <stdlib.h>
#include <string.h>
#include <node_api.h>
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#ifndef HAMLET_SECP_VERSION
#define HAMLET_SECP_VERSION "unknown"
#endif

/*
 * Parsing an x-only key costs a field square root; relays see the same authors again and
 * again, so a small direct-mapped cache of parsed keys saves it on a hit. Only keys that
 * parsed are cached, so an entry is always a valid key.
 */
#define CACHE_SLOTS 4096

typedef struct {
  unsigned char raw[32];
  secp256k1_xonly_pubkey parsed;
  int used;
} cache_slot;

typedef struct {
  secp256k1_context *ctx;
  cache_slot *cache;
  int use_cache;
} instance;

static int get_bytes(napi_env env, napi_value v, size_t want, const unsigned char **out) {
  napi_typedarray_type type;
  size_t length;
  void *data;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, NULL, NULL) != napi_ok) return 0;
  if (type != napi_uint8_array || length != want) return 0;
  *out = (const unsigned char *)data;
  return 1;
}

static int parse_key(instance *inst, const unsigned char *raw, secp256k1_xonly_pubkey *out, const secp256k1_xonly_pubkey **use) {
  if (!inst->use_cache) {
    if (!secp256k1_xonly_pubkey_parse(inst->ctx, out, raw)) return 0;
    *use = out;
    return 1;
  }
  /* Key bytes are uniformly distributed, so two of them make a fine slot index. */
  cache_slot *slot = &inst->cache[((raw[0] << 8) | raw[1]) % CACHE_SLOTS];
  if (slot->used && memcmp(slot->raw, raw, 32) == 0) {
    *use = &slot->parsed;
    return 1;
  }
  if (!secp256k1_xonly_pubkey_parse(inst->ctx, &slot->parsed, raw)) {
    slot->used = 0;
    return 0;
  }
  memcpy(slot->raw, raw, 32);
  slot->used = 1;
  *use = &slot->parsed;
  return 1;
}

static napi_value verify(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  instance *inst;
  napi_value result = NULL;
  const unsigned char *sig, *msg, *key;
  secp256k1_xonly_pubkey parsed;
  const secp256k1_xonly_pubkey *pk;
  int ok = 0;

  if (napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&inst) == napi_ok && argc >= 3 &&
      get_bytes(env, argv[0], 64, &sig) && get_bytes(env, argv[1], 32, &msg) && get_bytes(env, argv[2], 32, &key) &&
      parse_key(inst, key, &parsed, &pk)) {
    ok = secp256k1_schnorrsig_verify(inst->ctx, sig, msg, 32, pk);
  }
  /* Every napi_value is checked: while a worker is being terminated calls can fail, and
     returning an uninitialised handle would crash the process (NULL means undefined). */
  if (napi_get_boolean(env, ok == 1, &result) != napi_ok) return NULL;
  return result;
}

static napi_value sign(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  instance *inst;
  const unsigned char *msg, *sk, *aux;
  secp256k1_keypair kp;
  unsigned char *out = NULL;
  napi_value ab = NULL, result = NULL;

  if (napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&inst) != napi_ok || argc < 3 ||
      !get_bytes(env, argv[0], 32, &msg) || !get_bytes(env, argv[1], 32, &sk) || !get_bytes(env, argv[2], 32, &aux)) {
    napi_throw_type_error(env, NULL, "sign(msg32, seckey32, aux32) takes three 32-byte Uint8Arrays");
    return NULL;
  }
  if (napi_create_arraybuffer(env, 64, (void **)&out, &ab) != napi_ok || out == NULL) return NULL;
  if (!secp256k1_keypair_create(inst->ctx, &kp, sk) || !secp256k1_schnorrsig_sign32(inst->ctx, out, msg, &kp, aux)) {
    memset(&kp, 0, sizeof kp);
    if (napi_get_null(env, &result) != napi_ok) return NULL;
    return result;
  }
  memset(&kp, 0, sizeof kp);
  if (napi_create_typedarray(env, napi_uint8_array, 64, ab, 0, &result) != napi_ok) return NULL;
  return result;
}

/* setPubkeyCache(on): lets the benchmark measure what the cache is worth. */
static napi_value set_cache(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  instance *inst;
  bool on = true;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&inst) != napi_ok) return NULL;
  if (argc >= 1 && napi_get_value_bool(env, argv[0], &on) != napi_ok) on = true;
  inst->use_cache = on && inst->cache != NULL;
  memset(inst->cache, 0, inst->cache ? sizeof(cache_slot) * CACHE_SLOTS : 0);
  return NULL;
}

static void finalize(napi_env env, void *data, void *hint) {
  instance *inst = (instance *)data;
  (void)env;
  (void)hint;
  secp256k1_context_destroy(inst->ctx);
  free(inst->cache);
  free(inst);
}

NAPI_MODULE_INIT() {
  instance *inst = calloc(1, sizeof(instance));
  napi_value fn, lib;
  if (inst == NULL) return NULL;
  /* VERIFY is what 0.1.x needs; from 0.2.0 on every flag means NONE, which also verifies. */
  inst->ctx = secp256k1_context_create(SECP256K1_CONTEXT_VERIFY);
  inst->cache = calloc(CACHE_SLOTS, sizeof(cache_slot));
  inst->use_cache = inst->cache != NULL;
  if (inst->ctx == NULL) {
    free(inst->cache);
    free(inst);
    napi_throw_error(env, NULL, "secp256k1_context_create failed");
    return NULL;
  }
  if (napi_set_instance_data(env, inst, finalize, NULL) != napi_ok) {
    finalize(env, inst, NULL);
    return NULL;
  }
  /* From here inst belongs to the environment (freed by finalize at its teardown). */
  if (napi_create_function(env, "verify", NAPI_AUTO_LENGTH, verify, inst, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "verify", fn) != napi_ok ||
      napi_create_function(env, "sign", NAPI_AUTO_LENGTH, sign, inst, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "sign", fn) != napi_ok ||
      napi_create_function(env, "setPubkeyCache", NAPI_AUTO_LENGTH, set_cache, inst, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "setPubkeyCache", fn) != napi_ok ||
      napi_create_string_utf8(env, "libsecp256k1 " HAMLET_SECP_VERSION, NAPI_AUTO_LENGTH, &lib) != napi_ok ||
      napi_set_named_property(env, exports, "library", lib) != napi_ok) {
    return NULL;
  }
  return exports;
}
