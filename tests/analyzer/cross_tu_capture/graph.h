// A capture wrapper whose begin and end are defined in graph.cu, used from step.cu.
#pragma once
#include <cuda_graph_decls.h>

void graph_begin(cudaStream_t s);
void graph_end(cudaStream_t s);
void graph_launch(cudaStream_t s);
