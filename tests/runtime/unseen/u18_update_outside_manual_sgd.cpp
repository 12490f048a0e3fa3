// Imitates the "compute gradients in a tf.function, apply them eagerly" loop (a common port of a PyTorch loop: backward in the compiled part, optimizer.step() outside).
// Hazards: trace-update-outside x3 (manual assign_sub of w and b, and opt.apply_gradients for the second model, all in the loop that calls the traced gradient functions).
// Must stay silent: initialization/restore before the loop, a step counter variable no traced function reads, a third model whose update is inside its traced step, evaluation after the loop.
#include <tl/tl.h>

#include <iostream>
#include <vector>

int main() {
  const double lr = 0.3;
  auto x = tl::stateless_normal({8, 4}, 181);
  auto y = tl::tensor::from_vector<std::int64_t>({0, 1, 1, 0, 2, 2, 1, 0}, {8});
  tl::variable w(tl::zeros({4, 3}), "w"), b(tl::zeros({3}), "b");
  tl::variable w2(tl::zeros({4, 3}), "w2"), b2(tl::zeros({3}), "b2");
  tl::variable w3(tl::zeros({4, 3}), "w3"), b3(tl::zeros({3}), "b3");
  std::vector<tl::variable> vars{w, b}, vars2{w2, b2}, vars3{w3, b3};
  tl::variable global_step(tl::constant(0.0), "global_step", false);
  tl::optimizers::sgd opt2(lr), opt3(lr);

  auto loss_of = [&](const tl::tensor& xb, const tl::tensor& yb, const tl::variable& wv, const tl::variable& bv) {
    return tl::mean(tl::sparse_softmax_cross_entropy(tl::matmul(xb, wv) + bv.value(), yb));
  };
  auto grads_fn = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    tl::gradient_tape tape;
    auto loss = loss_of(xb, yb, w, b);
    auto g = tape.gradient(loss, vars);
    g.push_back(loss);
    return g;
  }, {.name = "grads_fn"});
  auto grads_fn2 = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    tl::gradient_tape tape;
    auto loss = loss_of(xb, yb, w2, b2);
    auto g = tape.gradient(loss, vars2);
    return std::make_tuple(g[0], g[1], loss);
  }, {.name = "grads_fn2"});
  auto train3 = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    tl::gradient_tape tape;
    auto loss = loss_of(xb, yb, w3, b3);
    opt3.apply_gradients(tape.gradient(loss, vars3), vars3);
    return loss;
  }, {.name = "train3"});

  w.assign(tl::stateless_normal({4, 3}, 182, 0.f, 0.1f));  // initialization before the loop
  w2.assign(w.value());
  w3.assign(w.value());

  for (int epoch = 0; epoch < 5; ++epoch) {
    auto out = grads_fn(x, y);
    w.assign_sub(out[0] * lr);  // NOTE[trace-update-outside]: eager update of a variable grads_fn reads
    b.assign_sub(out[1] * lr);  // NOTE[trace-update-outside]
    auto [gw2, gb2, loss2] = grads_fn2(x, y);
    opt2.apply_gradients({gw2, gb2}, vars2);  // NOTE[trace-update-outside]: optimizer step outside the traced function
    const float loss3 = train3(x, y).item<float>();
    global_step.assign_add(tl::constant(1.0));
    std::cout << "epoch " << epoch << " manual " << out[2].item<float>() << " opt-outside " << loss2.item<float>()
              << " opt-inside " << loss3 << "\n";
  }
  std::cout << "final losses " << loss_of(x, y, w, b).item<float>() << " " << loss_of(x, y, w2, b2).item<float>() << " "
            << loss_of(x, y, w3, b3).item<float>() << " steps " << global_step.value().item<float>() << "\n";
  return 0;
}
