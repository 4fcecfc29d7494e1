// router_counters: one router's event counters, the router counters of the chip model
// (src/sim/counter-catalog.ts, counted in src/chip/noc/mesh.ts), 32 bits each.
// Counting rules, cycle for cycle the model's:
//  - bufferWrites: flits written into an input buffer, counted in the cycle the flit is
//    in the buffer (the model's arrival cycle: the edge after in_valid);
//  - bufferReads, crossbarTraversals: grants (one read and one traversal each);
//  - arbitrationConflicts: per output granted among k requests, k - 1;
//  - creditStalls: per output requested by k inputs and holding no credit, k;
//  - linkFlits: grants on the mesh outputs N, E, S, W (a flit sent on a link);
//  - packetsEjected: flits leaving a Local or I/O output (out_valid, at g + routerDelay);
//  - activeCycles: cycles in which an input buffer holds a flit at arbitration.
// `value` is each counter after the current cycle's events (register plus this cycle's
// increment), in the order above with bufferReads and crossbarTraversals as two entries:
// bufferWrites, bufferReads, crossbarTraversals, arbitrationConflicts, creditStalls,
// linkFlits, packetsEjected, activeCycles. A chip would map them on a register bus
// (not modelled); router.sv instantiates them only with COUNTERS = 1.
module router_counters #(
    parameter int PORTS = 5
) (
    input  logic                     clk,
    input  logic                     rst,
    input  logic [PORTS-1:0]         in_valid,
    input  logic [PORTS*PORTS-1:0]   req,        // output o's requests: bits [o*PORTS +: PORTS]
    input  logic [PORTS-1:0]         has_credit,
    input  logic [PORTS-1:0]         grant,
    input  logic [PORTS-1:0]         out_valid,
    input  logic                     active,
    output logic [8*32-1:0]          value       // counter k: bits [k*32 +: 32]
);
  logic [8*32-1:0] q;    // counter k: bits [k*32 +: 32]
  logic [8*32-1:0] inc;
  logic [31:0]     writes;

  always_comb begin
    inc = '0;
    writes = '0;
    for (int p = 0; p < PORTS; p++) writes = writes + 32'(in_valid[p]);
    for (int o = 0; o < PORTS; o++) begin
      logic [31:0] n;
      n = '0;
      for (int i = 0; i < PORTS; i++) n = n + 32'(req[o*PORTS + i]);
      if (grant[o]) begin
        inc[1*32 +: 32] = inc[1*32 +: 32] + 32'd1;
        inc[2*32 +: 32] = inc[2*32 +: 32] + 32'd1;
        inc[3*32 +: 32] = inc[3*32 +: 32] + n - 32'd1;
        if (o < 4) inc[5*32 +: 32] = inc[5*32 +: 32] + 32'd1;
      end
      if (!has_credit[o]) inc[4*32 +: 32] = inc[4*32 +: 32] + n;
      if (o >= 4 && out_valid[o]) inc[6*32 +: 32] = inc[6*32 +: 32] + 32'd1;
    end
    inc[7*32 +: 32] = 32'(active);
  end

  // bufferWrites counts at the edge that writes the buffer; the others at the edge ending
  // the cycle of their event.
  always_ff @(posedge clk) begin
    if (rst) q <= '0;
    else begin
      q[0 +: 32] <= q[0 +: 32] + writes;
      for (int k = 1; k < 8; k++) q[k*32 +: 32] <= q[k*32 +: 32] + inc[k*32 +: 32];
    end
  end

  assign value[0 +: 32] = q[0 +: 32];
  for (genvar k = 1; k < 8; k++) begin : g_value
    assign value[k*32 +: 32] = q[k*32 +: 32] + inc[k*32 +: 32];
  end
endmodule
