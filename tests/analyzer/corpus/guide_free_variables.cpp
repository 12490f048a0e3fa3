// Ported from the tf.function guide, "Depending on Python global and free variables" and
// "Depending on Python objects": host values the function reads are baked into its graph, so a
// change made between calls is not seen; variables, arguments and fresh objects are.
#include <tl/tl.h>

double foo = 1.0;

struct SimpleModel {
  double bias = 0.0;
  double weight = 2.0;
};

struct VariableModel {
  tl::variable bias{tl::constant(0.0)};
  tl::variable weight{tl::constant(2.0)};
};

int main() {
  auto buggy_add = tl::function([](const tl::tensor& x) { return x + foo; }, {.name = "buggy_add"});
  auto recommended_add = tl::function([](const tl::tensor& x, double f) { return x + f; }, {.name = "recommended_add"});
  auto one = tl::ones({1});
  buggy_add(one);
  recommended_add(one, foo);
  foo = 100.0;  // WARN[trace-stale-capture]: foo
  buggy_add(one);
  recommended_add(one, foo);  // a host scalar argument: the new value is a new cache key

  tl::variable foo_var(tl::constant(1.0));
  auto variable_add = tl::function([&](const tl::tensor& x) { return x + foo_var.value(); }, {.name = "variable_add"});
  variable_add(one);
  foo_var.assign(tl::constant(100.0));
  variable_add(one);

  SimpleModel simple_model;
  auto evaluate = tl::function([&](const tl::tensor& x) { return x * simple_model.weight + simple_model.bias; },
                               {.name = "evaluate"});
  auto x = tl::constant(10.0);
  evaluate(x);
  simple_model.bias += 5.0;  // WARN[trace-stale-capture]: simple_model
  evaluate(x);

  // The guide's form: the object is an argument. Its identity is the cache key, its members are baked.
  auto evaluate_arg = tl::function([](const tl::tensor& t, const SimpleModel& model) { return t * model.weight + model.bias; },
                                   {.name = "evaluate_arg"});
  SimpleModel other;
  evaluate_arg(x, other);
  other.bias += 5.0;  // WARN[trace-stale-capture]: other
  evaluate_arg(x, other);
  SimpleModel new_model;  // a new object is a new cache key: traced again with its values
  new_model.bias = 5.0;
  evaluate_arg(x, new_model);

  VariableModel variable_model;
  auto evaluate_vars = tl::function(
      [&](const tl::tensor& t) { return t * variable_model.weight.value() + variable_model.bias.value(); },
      {.name = "evaluate_vars"});
  evaluate_vars(x);
  variable_model.bias.assign_add(tl::constant(5.0));
  evaluate_vars(x);
  return 0;
}
