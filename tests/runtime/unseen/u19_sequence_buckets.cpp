// Imitates variable-length sequence encoding (NLP data loader shape): per-sentence tensors of different lengths, a padded/bucketed variant, and per-bucket functions.
// Hazards: trace-shape-retrace (one trace per sentence length, lengths read from a container), trace-function-in-loop (a tl::function made per bucket per epoch).
// Must stay silent: sentences padded to a fixed length, an encoder with reduce_retracing, an encoder with an input_signature of unknown length, the embedding scale never changed.
#include <tl/tl.h>

#include <iostream>
#include <vector>

int main() {
  const double emb_scale = 0.5;
  const std::vector<std::vector<float>> sentences = {
      {0.1f, 0.4f, -0.2f}, {0.3f, 0.3f, 0.1f, -0.5f, 0.2f}, {0.9f, -0.1f},
      {0.2f, 0.2f, 0.2f, 0.2f, 0.2f, 0.2f, 0.2f}, {-0.3f, 0.5f, 0.1f, 0.0f}, {0.6f, 0.1f, -0.4f, 0.3f, 0.2f, 0.1f},
  };
  const std::int64_t pad_to = 8;
  auto encode_fn = [&](const tl::tensor& seq) { return tl::mean(tl::tanh(seq * emb_scale)); };
  auto encode = tl::function(encode_fn, {.name = "encode"});
  auto encode_rr = tl::function(encode_fn, {.name = "encode_rr", .reduce_retracing = true});
  auto encode_sig = tl::function(encode_fn, {.name = "encode_sig",
                                             .input_signature = std::vector<tl::tensor_spec>{{{-1}, tl::dtype::float32}}});
  auto encode_padded = tl::function([&](const tl::tensor& seq, const tl::tensor& mask) {
    return tl::sum(tl::tanh(seq * emb_scale) * mask) / tl::sum(mask);
  }, {.name = "encode_padded"});

  // Two buckets of padded sentences (short: length 4, long: length 8).
  const std::vector<tl::tensor> buckets = {tl::stateless_normal({2, 4}, 191), tl::stateless_normal({3, 8}, 192)};

  for (int epoch = 0; epoch < 3; ++epoch) {
    float a = 0.f, b = 0.f, c = 0.f, d = 0.f;
    for (const auto& s : sentences) {
      const auto len = static_cast<std::int64_t>(s.size());
      auto t = tl::tensor::from_vector<float>(s, {len});
      a += encode(t).item<float>();  // WARN[trace-shape-retrace]: six lengths, six traces
      b += encode_rr(t).item<float>();
      c += encode_sig(t).item<float>();
      std::vector<float> padded(s), mask(s.size(), 1.f);
      padded.resize(pad_to, 0.f);
      mask.resize(pad_to, 0.f);
      d += encode_padded(tl::tensor::from_vector<float>(padded, {pad_to}), tl::tensor::from_vector<float>(mask, {pad_to})).item<float>();
    }
    float bucket_total = 0.f;
    for (const auto& bucket : buckets) {
      auto bucket_fn = tl::function([&](const tl::tensor& batch) { return tl::mean(tl::tanh(batch * emb_scale)); });  // WARN[trace-function-in-loop]
      bucket_total += bucket_fn(bucket).item<float>();
    }
    std::cout << "epoch " << epoch << " encode " << a << " rr " << b << " sig " << c << " padded " << d << " buckets "
              << bucket_total << "\n";
  }
  std::cout << "traces: encode " << encode.tracing_count() << " encode_rr " << encode_rr.tracing_count() << " encode_sig "
            << encode_sig.tracing_count() << " encode_padded " << encode_padded.tracing_count() << "\n";
  return 0;
}
