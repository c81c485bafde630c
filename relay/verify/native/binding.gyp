{
  "targets": [
    {
      "target_name": "hamlet_secp256k1",
      "sources": ["hamlet_secp256k1.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "defines": [
        "NAPI_VERSION=8",
        "HAMLET_SECP_VERSION=\"<!(pkg-config --modversion libsecp256k1 2>/dev/null || echo unknown)\""
      ],
      "libraries": ["-lsecp256k1"]
    }
  ]
}
