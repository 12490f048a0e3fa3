// A cc_binary's source: analyzed like a library's, no traced function, no finding.
void record_step();

int main() { record_step(); }
