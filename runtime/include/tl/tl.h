#pragma once
// The whole tl runtime: tensors, ops, traced functions, variables, autodiff, optimizers, metrics.
#include "tl/dtype.h"
#include "tl/error.h"
#include "tl/function.h"
#include "tl/gradient_tape.h"
#include "tl/metrics.h"
#include "tl/ops.h"
#include "tl/optimizers.h"
#include "tl/random.h"
#include "tl/tensor.h"
#include "tl/variable.h"
