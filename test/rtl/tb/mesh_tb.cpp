// Verilator testbench of hw/rtl/mesh.sv for the co-simulation (test/rtl/mesh-cosim.ts).
// It plays a stimulus file (packets with creation cycle, source, destination, payload)
// into the RTL with the same injection policy as the TypeScript harness (each core
// injects its oldest due packet when its Local input has a credit; the I/O port offers up
// to LANES due packets per cycle), and writes per cycle the observations of
// test/rtl/observations.ts: every input's occupancy and every sender's credits after
// arbitration, every arrival, grant, injection and delivery. Output: per cycle a
// (digest, count) pair of uint32 to the digest file; with --detail C, the observations of
// cycle C as text lines "key value". Every router's event counters (router_counters.sv)
// are observations too. With --vcd FILE it also writes the VCD the chip model's
// VcdWriter writes for Mesh.attachVcd (src/sim/vcd.ts): per router `occupancy` (flits in
// its input buffers after arbitration) and `link_<P>` (1 in the cycles the output sends
// on a link, the router's out_valid), same scopes, names, widths and identifier codes;
// value changes of one time step in signal order.
// Geometry comes from -D defines that match the -G parameters of the build.
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <cstring>
#include <deque>
#include <vector>
#include <string>
#include "Vmesh.h"
#include "verilated.h"
#include "svdpi.h"
#include "obs.h"

#ifndef MESH_W
#error "MESH_W etc. must be defined"
#endif

static const int R = MESH_W * MESH_H;
static const int XB = MESH_W > 1 ? bits_for(MESH_W) : 1;
static const int YB = MESH_H > 1 ? bits_for(MESH_H) : 1;
static const int FW = 2 + MESH_AB + XB + YB;
static const int PMAX = 5 + MESH_LANES;
static const int IO_R = MESH_IO_Y * MESH_W + MESH_IO_X;

struct PortObs { int occ, cred, push, push_id, granted, gout, gid, sending; };
static std::vector<PortObs> port_obs(R * PMAX);
static std::vector<int> seen(R * PMAX);
static const int NCOUNTERS = 8;
static std::vector<int> counters(R * NCOUNTERS);
static std::vector<int> counters_seen(R);

extern "C" void cosim_port(int router, int port, int occupancy, int credits, int push, int push_id,
                           int granted, int grant_out, int grant_id, int sending) {
  PortObs& o = port_obs[router * PMAX + port];
  o = PortObs{occupancy, credits, push, push_id, granted, grant_out, grant_id, sending};
  seen[router * PMAX + port] = 1;
}

extern "C" void cosim_counters(int router, int buffer_writes, int buffer_reads, int crossbar, int conflicts,
                               int credit_stalls, int link_flits, int ejected, int active_cycles) {
  int* c = &counters[router * NCOUNTERS];
  c[0] = buffer_writes; c[1] = buffer_reads; c[2] = crossbar; c[3] = conflicts;
  c[4] = credit_stalls; c[5] = link_flits; c[6] = ejected; c[7] = active_cycles;
  counters_seen[router] = 1;
}

// The VCD of src/sim/vcd.ts's VcdWriter for Mesh.attachVcd's signals: identifier codes in
// registration order (router by router: occupancy, then link_<P> per mesh output with a
// neighbour), the header, the values of cycle 0 as $dumpvars, then per cycle its changes.
struct VcdSig { int router, port, width; std::string name, code; long value; };
struct Vcd {
  FILE* f = nullptr;
  std::vector<VcdSig> sig;
  long last_time = 0;
  static std::string id_code(int n) {
    std::string s;
    int v = n;
    do { s += (char)(33 + v % 94); v /= 94; } while (v > 0);
    return s;
  }
  static std::string text(const VcdSig& g, long v) {
    if (g.width == 1) return std::to_string(v) + g.code + "\n";
    std::string b;
    long x = v;
    do { b.insert(b.begin(), (char)('0' + (x & 1))); x >>= 1; } while (x > 0);
    return "b" + b + " " + g.code + "\n";
  }
  void header(const std::vector<long>& v0) {
    std::string h = "$comment bitspike trace: 1 time unit = 1 clock cycle $end\n$timescale 1 ns $end\n";
    h += "$scope module noc $end\n";
    int last_r = -1;
    for (auto& g : sig) {
      if (g.router != last_r) {
        if (last_r >= 0) h += "$upscope $end\n";
        h += "$scope module router" + std::to_string(g.router) + " $end\n";
        last_r = g.router;
      }
      h += "$var wire " + std::to_string(g.width) + " " + g.code + " " + g.name + " $end\n";
    }
    if (last_r >= 0) h += "$upscope $end\n";
    h += "$upscope $end\n$enddefinitions $end\n#0\n$dumpvars\n";
    for (size_t i = 0; i < sig.size(); i++) { sig[i].value = v0[i]; h += text(sig[i], v0[i]); }
    h += "$end\n";
    fputs(h.c_str(), f);
  }
  void cycle(long t, const std::vector<long>& v) {
    std::string body;
    for (size_t i = 0; i < sig.size(); i++) {
      if (v[i] == sig[i].value) continue;
      sig[i].value = v[i];
      body += text(sig[i], v[i]);
    }
    if (body.empty()) return;
    fprintf(f, "#%ld\n%s", t, body.c_str());
    last_time = t;
  }
  void finish(long end) {
    if (end > last_time) fprintf(f, "#%ld\n", end);
    fclose(f);
  }
};

struct Pkt { long created; int src, dst, bit, id; };

static uint64_t flit_of(const Pkt& p) {
  int io = p.dst == R ? 1 : 0;
  int dr = io ? IO_R : p.dst;
  uint64_t f = (uint64_t)(p.bit & 1);
  f |= (uint64_t)p.id << 1;
  f |= (uint64_t)(dr % MESH_W) << (1 + MESH_AB);
  f |= (uint64_t)(dr / MESH_W) << (1 + MESH_AB + XB);
  f |= (uint64_t)io << (FW - 1);
  return f;
}

static bool has_neighbour(int r, int d) {
  int x = r % MESH_W, y = r / MESH_W;
  if (d == 0) return y > 0;
  if (d == 1) return x + 1 < MESH_W;
  if (d == 2) return y + 1 < MESH_H;
  return x > 0;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: mesh_tb STIMULUS DIGESTS [--detail CYCLE]\n");
    return 2;
  }
  long detail = -1;
  const char* vcd_file = nullptr;
  for (int a = 3; a + 1 < argc; a += 2) {
    if (strcmp(argv[a], "--detail") == 0) detail = atol(argv[a + 1]);
    else if (strcmp(argv[a], "--vcd") == 0) vcd_file = argv[a + 1];
    else { fprintf(stderr, "mesh_tb: unknown option %s\n", argv[a]); return 2; }
  }
  FILE* in = fopen(argv[1], "r");
  if (!in) { fprintf(stderr, "mesh_tb: cannot read %s\n", argv[1]); return 2; }
  long cycles = 0;
  if (fscanf(in, "cycles %ld", &cycles) != 1) { fprintf(stderr, "mesh_tb: bad stimulus header\n"); return 2; }
  std::vector<std::deque<Pkt>> q(R + 1);
  Pkt p;
  while (fscanf(in, "%ld %d %d %d %d", &p.created, &p.src, &p.dst, &p.bit, &p.id) == 5) q[p.src].push_back(p);
  fclose(in);
  FILE* out = detail >= 0 ? nullptr : fopen(argv[2], "wb");
  if (detail < 0 && !out) { fprintf(stderr, "mesh_tb: cannot write %s\n", argv[2]); return 2; }

  Vcd vcd;
  if (vcd_file) {
    vcd.f = fopen(vcd_file, "w");
    if (!vcd.f) { fprintf(stderr, "mesh_tb: cannot write %s\n", vcd_file); return 2; }
    for (int r = 0; r < R; r++) {
      int P = r == IO_R ? PMAX : 5;
      int w = bits_for(P * MESH_DEPTH + 1);
      vcd.sig.push_back(VcdSig{r, -1, w < 1 ? 1 : w, "occupancy", Vcd::id_code((int)vcd.sig.size()), 0});
      for (int pt = 0; pt < 4; pt++) {
        if (!has_neighbour(r, pt)) continue;
        vcd.sig.push_back(VcdSig{r, pt, 1, std::string("link_") + "NESW"[pt], Vcd::id_code((int)vcd.sig.size()), 0});
      }
    }
  }
  std::vector<long> vcd_values(vcd.sig.size());

  VerilatedContext ctx;
  Vmesh top(&ctx);
  top.clk = 0;
  top.rst = 1;
  for (int k = 0; k < 2; k++) { top.clk = 0; top.eval(); top.clk = 1; top.eval(); }
  top.clk = 0;
  top.rst = 0;
  top.eval();

  Obs obs;
  std::vector<std::pair<int, int>> arrivals, next_arrivals;  // (key, id) arriving this cycle
  std::vector<uint32_t> buf;
  buf.reserve(1 << 16);
  for (long c = 0; c < cycles; c++) {
    obs.clear(detail == c);
    top.clk = 0;
    // Cores: the oldest due packet when the Local input holds a credit.
    for (int e = 0; e < R; e++) {
      bool go = !q[e].empty() && q[e].front().created <= c && get_bits(top.inj_ready, e, 1);
      set_bits(top.inj_valid, e, 1, go ? 1 : 0);
      if (go) {
        set_bits(top.inj_flit, e * FW, FW, flit_of(q[e].front()));
        obs.add(key(K_INJ, e, 0), q[e].front().id);
        q[e].pop_front();
      }
    }
    // The I/O port: up to LANES due packets offered, in order.
    int offered = 0;
    for (; offered < MESH_LANES && offered < (int)q[R].size() && q[R][offered].created <= c; offered++)
      set_bits(top.io_flit, offered * FW, FW, flit_of(q[R][offered]));
    top.io_offered = offered;
    top.eval();
    for (int k = 0; k < (int)top.io_taken; k++) {
      obs.add(key(K_INJ, R, 0), q[R].front().id);
      q[R].pop_front();
    }
    // Deliveries of cycle c.
    for (int e = 0; e < R; e++) {
      if (get_bits(top.ej_valid, e, 1)) {
        uint64_t f = get_bits(top.ej_flit, e * FW, FW);
        obs.add(key(K_DLV, e, 0), (int)(f & ((1ull << (MESH_AB + 1)) - 1)));
      }
    }
    for (int l = 0; l < MESH_LANES; l++) {
      if (get_bits(top.io_ej_valid, l, 1)) {
        uint64_t f = get_bits(top.io_ej_flit, l * FW, FW);
        obs.add(key(K_DLV, R, 0), (int)(f & ((1ull << (MESH_AB + 1)) - 1)));
      }
    }
    // The edge ending cycle c: the routers report their ports (DPI) before it takes effect.
    std::fill(seen.begin(), seen.end(), 0);
    std::fill(counters_seen.begin(), counters_seen.end(), 0);
    top.clk = 1;
    top.eval();
    for (auto& a : arrivals) obs.add(a.first, a.second);
    next_arrivals.clear();
    for (int r = 0; r < R; r++) {
      int P = r == IO_R ? PMAX : 5;
      for (int pt = 0; pt < P; pt++) {
        if (!seen[r * PMAX + pt]) { fprintf(stderr, "mesh_tb: router %d port %d not reported\n", r, pt); return 1; }
        const PortObs& o = port_obs[r * PMAX + pt];
        obs.add(key(K_OCC, r, pt), o.occ);
        if (pt >= 4 || has_neighbour(r, pt)) obs.add(key(K_CRED, r, pt), o.cred);
        if (o.granted) obs.add(key(K_GNT, r, pt), o.gout * GRANT_STRIDE + o.gid);
        if (o.push) next_arrivals.push_back({key(K_ARR, r, pt), o.push_id});
      }
    }
    arrivals.swap(next_arrivals);
    for (int r = 0; r < R; r++) {
      if (!counters_seen[r]) { fprintf(stderr, "mesh_tb: router %d counters not reported\n", r); return 1; }
      for (int k = 0; k < NCOUNTERS; k++) obs.add(key(K_CNT, r, k), counters[r * NCOUNTERS + k]);
    }
    if (vcd.f) {
      for (size_t i = 0; i < vcd.sig.size(); i++) {
        const VcdSig& g = vcd.sig[i];
        if (g.port >= 0) {
          vcd_values[i] = port_obs[g.router * PMAX + g.port].sending;
        } else {
          long occ = 0;
          for (int pt = 0; pt < (g.router == IO_R ? PMAX : 5); pt++) occ += port_obs[g.router * PMAX + pt].occ;
          vcd_values[i] = occ;
        }
      }
      if (c == 0) vcd.header(vcd_values);
      else vcd.cycle(c, vcd_values);
    }
    if (detail == c) {
      obs.print(stdout);
      return 0;
    }
    buf.push_back(obs.digest);
    buf.push_back(obs.count);
    if (buf.size() >= (1 << 16)) { fwrite(buf.data(), 4, buf.size(), out); buf.clear(); }
  }
  if (out) {
    fwrite(buf.data(), 4, buf.size(), out);
    fclose(out);
  }
  if (vcd.f) {
    // After the last cycle no flit is sent (the model's pulses end); buffers keep their flits.
    for (size_t i = 0; i < vcd.sig.size(); i++) if (vcd.sig[i].port >= 0) vcd_values[i] = 0;
    if (cycles == 0) vcd.header(vcd_values);
    else vcd.cycle(cycles, vcd_values);
    vcd.finish(cycles);
  }
  top.final();
  return 0;
}
