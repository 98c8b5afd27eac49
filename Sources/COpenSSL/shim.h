// OpenSSL's message digests (Debian: libssl-dev), used for the result cache's SHA-256 keys.
#include <openssl/evp.h>
