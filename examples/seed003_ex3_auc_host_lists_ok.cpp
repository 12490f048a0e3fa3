// Seed 003, Example 3: scores and labels collected into host vectors eagerly, then a ROC AUC
// computed on the host (the article uses scikit-learn; here a direct pairwise count). Correct: no
// traced function is involved.
// Expect: auc=1
// Hazards: none
#include <tl/tl.h>

#include <iostream>

int main() {
  std::vector<std::int32_t> y_true_all;
  std::vector<float> y_scores_all;
  for (int i = 0; i < 2; ++i) {
    auto y_true = tl::tensor::from_vector<std::int32_t>({0, 1, 0, 1, 1, 0}, {6});
    auto y_scores = tl::tensor::from_vector<float>({0.2f, 0.8f, 0.1f, 0.9f, 0.7f, 0.3f}, {6});
    for (auto v : y_true.to_vector<std::int32_t>()) y_true_all.push_back(v);
    for (auto v : y_scores.to_vector<float>()) y_scores_all.push_back(v);
  }
  double pairs = 0, wins = 0;
  for (std::size_t i = 0; i < y_true_all.size(); ++i)
    for (std::size_t j = 0; j < y_true_all.size(); ++j)
      if (y_true_all[i] == 1 && y_true_all[j] == 0) {
        pairs += 1;
        wins += y_scores_all[i] > y_scores_all[j] ? 1.0 : y_scores_all[i] == y_scores_all[j] ? 0.5 : 0.0;
      }
  std::cout << "auc=" << wins / pairs << "\n";
}
