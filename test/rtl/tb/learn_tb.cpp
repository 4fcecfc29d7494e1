// Verilator testbench of hw/rtl/learning_row.sv for the learning co-simulation
// (test/rtl/learn-cosim.ts). Per case of the input file it loads the rule and row
// configuration, the two phases' pre-synaptic words, the row's weight words and counter
// planes, starts the pass, counts the cycles to `done`, and prints the cycles, every
// weight word, every counter (signed) and the changed / flipped / saturated counts.
// Input per case: "cbits theta leak binary beta_pos post_a post_b nbits words", then
// `words` lines "weight_hex pre_a_hex pre_b_hex", then one line of nbits counters.
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <vector>
#include "Vlearning_row.h"
#include "verilated.h"
#include "obs.h"

#ifndef LEARN_WB
#error "LEARN_WB, LEARN_CBM must be defined"
#endif

static Vlearning_row* top;
static void tick() {
  top->clk = 0; top->eval();
  top->clk = 1; top->eval();
  top->clk = 0; top->eval();
}

int main(int argc, char** argv) {
  if (argc < 2) { fprintf(stderr, "usage: learn_tb CASES\n"); return 2; }
  FILE* in = fopen(argv[1], "r");
  if (!in) { fprintf(stderr, "learn_tb: cannot read %s\n", argv[1]); return 2; }
  VerilatedContext ctx;
  top = new Vlearning_row(&ctx);
  top->rst = 1; tick(); tick(); top->rst = 0;
  const uint64_t wmask = LEARN_WB >= 64 ? ~0ull : ((1ull << LEARN_WB) - 1);
  int cbits, theta, leak, binary, beta_pos, post_a, post_b, nbits, words;
  int id = 0;
  while (fscanf(in, "%d %d %d %d %d %d %d %d %d", &cbits, &theta, &leak, &binary, &beta_pos, &post_a, &post_b, &nbits, &words) == 9) {
    std::vector<unsigned long long> w(words), a(words), b(words);
    for (int k = 0; k < words; k++)
      if (fscanf(in, "%llx %llx %llx", &w[k], &a[k], &b[k]) != 3) { fprintf(stderr, "learn_tb: bad case %d\n", id); return 2; }
    std::vector<int> h(nbits);
    for (int j = 0; j < nbits; j++)
      if (fscanf(in, "%d", &h[j]) != 1) { fprintf(stderr, "learn_tb: bad counters in case %d\n", id); return 2; }
    top->cbits = cbits; top->theta = theta; top->leak = leak; top->binary = binary; top->beta_pos = beta_pos;
    top->post_a = post_a; top->post_b = post_b; top->nbits = nbits; top->words = words;
    for (int k = 0; k < words; k++) {
      top->pre_we = 1; top->pre_addr = k; top->pre_a = a[k] & wmask; top->pre_b = b[k] & wmask;
      top->mem_we = 1; top->mem_addr = k * (1 + LEARN_CBM); top->mem_wdata = w[k] & wmask;
      tick();
      top->pre_we = 0;
      for (int p = 0; p < LEARN_CBM; p++) {
        uint64_t plane = 0;
        for (int j = 0; j < LEARN_WB && k * LEARN_WB + j < nbits; j++)
          if (p < cbits && ((h[k * LEARN_WB + j] >> p) & 1)) plane |= 1ull << j;
        top->mem_addr = k * (1 + LEARN_CBM) + 1 + p; top->mem_wdata = plane;
        tick();
      }
      top->mem_we = 0;
    }
    top->start = 1;
    tick();
    top->start = 0;
    long cycles = 1;
    top->eval();
    while (!top->done) {
      tick();
      cycles++;
      if (cycles > 1000000) { fprintf(stderr, "learn_tb: case %d never done\n", id); return 1; }
    }
    tick();  // the last write cycle's edge
    printf("case %d\ncycles %ld\n", id, cycles);
    for (int k = 0; k < words; k++) {
      top->mem_addr = k * (1 + LEARN_CBM); top->eval();
      printf("w %d %0*llx\n", k, (LEARN_WB + 3) / 4, (unsigned long long)((uint64_t)top->mem_rdata & wmask));
    }
    std::vector<int> hn(nbits, 0);
    for (int k = 0; k < words; k++) {
      for (int p = 0; p < cbits; p++) {
        top->mem_addr = k * (1 + LEARN_CBM) + 1 + p; top->eval();
        uint64_t plane = (uint64_t)top->mem_rdata;
        for (int j = 0; j < LEARN_WB && k * LEARN_WB + j < nbits; j++) if ((plane >> j) & 1) hn[k * LEARN_WB + j] |= 1 << p;
      }
    }
    printf("h");
    for (int j = 0; j < nbits; j++) {
      int v = hn[j];
      if (v & (1 << (cbits - 1))) v -= 1 << cbits;
      printf(" %d", v);
    }
    printf("\nchanged %u flipped %u saturated %u\n", (unsigned)top->changed, (unsigned)top->flipped, (unsigned)top->saturated);
    id++;
  }
  top->final();
  delete top;
  return 0;
}
