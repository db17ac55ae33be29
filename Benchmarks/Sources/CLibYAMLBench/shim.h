#ifndef GATEWAY_CLIBYAML_SHIM_H
#define GATEWAY_CLIBYAML_SHIM_H
#include <yaml.h>
#endif
