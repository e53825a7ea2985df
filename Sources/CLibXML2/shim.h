#include <libxml/xmlversion.h>
/* Debian's libxml2 is built with ICU; its encoding.h includes the system ICU headers, which clash with
   Foundation's own ICU module. The ICU-only fields sit at the end of xmlCharEncodingHandler, which is
   only used through a pointer, so the ICU part is left out. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/HTMLparser.h>
/* xmlFree is a global function-pointer variable, which Swift 6 rejects as shared mutable state. */
static inline void cxml_free(void *p) { xmlFree(p); }
/* The version of the libxml2 in use, such as "20914": xmlParserVersion is a macro over a per-thread
   accessor in some builds and a variable in others. */
static inline const char *cxml_parser_version(void) { return xmlParserVersion; }
