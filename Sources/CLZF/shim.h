#include <lzf.h>
