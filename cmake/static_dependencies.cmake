# Start-up time (issue #17): on a small file two thirds of a run went to ld.so loading and
# relocating libcrypto, libssl, ldns and PCRE2 (thousands of symbol look-ups each time). Their
# Debian -dev packages ship the static archives, so the imported targets are pointed at those:
# every executable of the build takes only the objects it uses and needs no relocation by name.
# Included from the top-level CMakeLists.txt after the dependencies are found.
find_package(Threads REQUIRED)
find_library(PMTALINT_CRYPTO_ARCHIVE NAMES libcrypto.a REQUIRED)
find_library(PMTALINT_SSL_ARCHIVE NAMES libssl.a REQUIRED)
find_library(PMTALINT_LDNS_ARCHIVE NAMES libldns.a HINTS ${LDNS_LIBRARY_DIRS} REQUIRED)
find_library(PMTALINT_PCRE2_ARCHIVE NAMES libpcre2-8.a HINTS ${PCRE2_LIBRARY_DIRS} REQUIRED)

# libcrypto loads its provider modules with dlopen and locks with pthreads: as an archive it
# must name those itself.
set_target_properties(OpenSSL::Crypto PROPERTIES
  IMPORTED_LOCATION ${PMTALINT_CRYPTO_ARCHIVE}
  INTERFACE_LINK_LIBRARIES "Threads::Threads;${CMAKE_DL_LIBS}")
set_target_properties(OpenSSL::SSL PROPERTIES
  IMPORTED_LOCATION ${PMTALINT_SSL_ARCHIVE}
  INTERFACE_LINK_LIBRARIES OpenSSL::Crypto)
# ldns signs and verifies with libcrypto and does DANE with libssl, so they follow it on the line.
set_target_properties(PkgConfig::LDNS PROPERTIES INTERFACE_LINK_LIBRARIES "${PMTALINT_LDNS_ARCHIVE};OpenSSL::SSL")
set_target_properties(PkgConfig::PCRE2 PROPERTIES INTERFACE_LINK_LIBRARIES ${PMTALINT_PCRE2_ARCHIVE})
