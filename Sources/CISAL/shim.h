/* ISA-L (Intel's Intelligent Storage Acceleration Library, Debian libisal-dev): its inflate, about twice
   as fast as zlib's on x86-64 and arm64. */
#include <isa-l/igzip_lib.h>
