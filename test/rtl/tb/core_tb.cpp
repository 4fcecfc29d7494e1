// Verilator testbench of hw/rtl/neuron_core.sv for the co-simulation (test/rtl/core-cosim.ts).
// Per sample of the stimulus file: configure the core, load weights, states, spikes and
// biases, deliver the axon bits, start one step at cycle 0, and let a router Local input
// of `cdepth` credits take its flits (the k-th flit's credit comes back 2 + delay[k] cycles
// after it was handed over). Writes per sample the observations "cycle key value": every
// row's forward and backward dot products, new state and spike (cycle -1), every flit
// handed to the router and the end of the step.
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <vector>
#include "Vneuron_core.h"
#include "verilated.h"
#include "svdpi.h"
#include "obs.h"

static long cyc = 0;
struct Ev { long c; int k, v; };
static std::vector<Ev> evs;
static bool done_seen = false;

extern "C" void cosim_row(int row, int dot_f, int dot_b, int acc, int state, int spike) {
  (void)acc;
  evs.push_back({-1, key(K_ACC, row, 0), dot_f});
  evs.push_back({-1, key(K_ACC, row, 1), dot_b});
  evs.push_back({-1, key(K_STATE, row, 0), state});
  evs.push_back({-1, key(K_SPIKE, row, 0), spike});
}

extern "C" void cosim_core(int inj_valid, int dest, int axon, int payload, int done) {
  if (inj_valid) evs.push_back({cyc, key(K_QUEUE, 0, 0), (dest << 17) | (axon << 1) | payload});
  if (done) {
    evs.push_back({cyc, key(K_COMMIT, 0, 0), 1});
    done_seen = true;
  }
}

static void tick(Vneuron_core& t) {
  t.clk = 0;
  t.eval();
  t.clk = 1;
  t.eval();
}

int main(int argc, char** argv) {
  if (argc < 2) { fprintf(stderr, "usage: core_tb STIMULUS\n"); return 2; }
  FILE* in = fopen(argv[1], "r");
  if (!in) { fprintf(stderr, "core_tb: cannot read %s\n", argv[1]); return 2; }
  VerilatedContext ctx;
  Vneuron_core t(&ctx);
  int id;
  while (fscanf(in, " sample %d", &id) == 1) {
    int binary, every, np, nn, rows, rstart, kf, kb, off, shift, nd, cdepth, wpr;
    if (fscanf(in, "%d %d %d %d %d %d %d %d %d %d %d %d %d", &binary, &every, &np, &nn, &rows, &rstart, &kf, &kb, &off,
               &shift, &nd, &cdepth, &wpr) != 13) { fprintf(stderr, "core_tb: bad sample %d\n", id); return 2; }
    t.rst = 1; t.start = 0; t.w_we = 0; t.s_we = 0; t.ax_we = 0; t.inj_ready = 0;
    tick(t);
    t.rst = 0;
    t.binary = binary; t.every_step = every; t.n_prev = np; t.n_next = nn; t.rows = rows; t.row_start = rstart;
    t.k_fwd = (uint8_t)kf; t.k_bwd = (uint8_t)kb; t.offset = (uint16_t)off; t.state_shift = shift; t.ndest = nd;
    for (int d = 0; d < nd; d++) {
      int dest, base;
      if (fscanf(in, "%d %d", &dest, &base) != 2) return 2;
      set_bits(t.dest, d * CORE_DB, CORE_DB, dest);
      set_bits(t.dest_axon_base, d * CORE_AB, CORE_AB, base);
    }
    // Weights: rows x wpr words (hex), word k of row i in bank k % BANKS at i * DPR + k / BANKS.
    const int DPR = (CORE_WPR + CORE_BANKS - 1) / CORE_BANKS;
    for (int i = 0; i < rows; i++) {
      for (int k = 0; k < wpr; k++) {
        unsigned long long w;
        if (fscanf(in, "%llx", &w) != 1) return 2;
        t.w_we = 1; t.w_bank = k % CORE_BANKS; t.w_addr = i * DPR + k / CORE_BANKS;
        set_bits(t.w_data, 0, CORE_WB, w);
        tick(t);
      }
    }
    t.w_we = 0;
    for (int i = 0; i < rows; i++) {
      int st, sp, bi;
      if (fscanf(in, "%d %d %d", &st, &sp, &bi) != 3) return 2;
      t.s_we = 1; t.s_row = i; t.s_state = st; t.s_spike = sp; t.s_bias = (uint32_t)bi & ((1u << CORE_BIAS_BITS) - 1);
      tick(t);
    }
    t.s_we = 0;
    for (int j = 0; j < np + nn; j++) {
      int b;
      if (fscanf(in, "%d", &b) != 1) return 2;
      t.ax_we = 1; t.ax_idx = j; t.ax_val = b;
      tick(t);
    }
    t.ax_we = 0;
    int ndel;
    if (fscanf(in, "%d", &ndel) != 1) return 2;
    std::vector<int> delay(ndel);
    for (int k = 0; k < ndel; k++) if (fscanf(in, "%d", &delay[k]) != 1) return 2;
    // Step from cycle 0; run until the step is done, the queue is empty and every credit is back.
    evs.clear();
    done_seen = false;
    int credits = cdepth, injected = 0;
    std::vector<long> back;  // cycles credits come back
    // The step command comes the cycle before the step's first cycle (t = 0).
    t.start = 1;
    t.inj_ready = 0;
    tick(t);
    t.start = 0;
    for (cyc = 0; cyc < 1000000; cyc++) {
      for (size_t k = 0; k < back.size();) {
        if (back[k] == cyc) { credits++; back[k] = back.back(); back.pop_back(); } else k++;
      }
      t.inj_ready = credits > 0;
      t.clk = 0;
      t.eval();
      bool inj = t.inj_valid;
      // Done, every credit home and nothing handed over with a credit in hand: the queue is empty.
      if (done_seen && credits == cdepth && !inj) break;
      t.clk = 1;
      t.eval();
      if (inj) {
        credits--;
        back.push_back(cyc + 2 + delay[injected % ndel]);
        injected++;
      }
    }
    t.start = 0;
    printf("sample %d\n", id);
    for (auto& e : evs) printf("%ld %d %d\n", e.c, e.k, e.v);
  }
  fclose(in);
  t.final();
  return 0;
}
