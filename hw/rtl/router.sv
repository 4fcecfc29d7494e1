// router: one input-buffered mesh router (src/chip/noc/mesh.ts, src/chip/router/).
// Timing rules (docs/timing-model.md, "Router", "Links and credits"):
//  - PORTS inputs: N, E, S, W, Local (0..4) and, at the I/O router, the I/O lanes (5..);
//    each a FIFO of DEPTH flits (input_buffers); a flit written in cycle c can be granted in c + 1.
//  - Once per cycle, the head of every non-empty input requests its XY output (route);
//    every output grants at most one request, round-robin (arbiter), and only with a
//    credit (mesh outputs: credit_counter; Local and I/O outputs never wait).
//  - A flit granted at g leaves the output ROUTER_DELAY registers later (out_valid at
//    g + routerDelay): delivered there at an ejection output, or entering a link.
//  - The freed slot's credit: credit_out pulses at g + creditDelay - 1, counted by the
//    sender's credit_counter at the next edge (usable at g + creditDelay). The senders of
//    the Local and I/O inputs (the core, the I/O port) keep their credit_counter here:
//    inj_ready = that counter holds a credit.
// Flit layout (FW bits, LSB first): payload bit, axon (AB), dest x (XB), dest y (YB), I/O select.
module router #(
    parameter int ROUTER_ID    = 0,
    parameter int X            = 0,
    parameter int Y            = 0,
    parameter int XB           = 1,
    parameter int YB           = 1,
    parameter int AB           = 8,
    parameter int LANES        = 1,
    parameter int PORTS        = 5,
    parameter int DEPTH        = 4,
    parameter int ROUTER_DELAY = 1,
    parameter int CREDIT_DELAY = 1,
    parameter int COUNTERS     = 0,  // 1: instantiate router_counters (the co-simulation compares them)
    parameter int FW           = 2 + AB + XB + YB,
    parameter int CW           = $clog2(DEPTH + 1)
) (
    input  logic                      clk,
    input  logic                      rst,
    // Buffer writes: from the links (ports 0..3) and from the injecting endpoint (4..).
    input  logic [PORTS-1:0]          in_valid,
    input  logic [PORTS*FW-1:0]       in_flit,    // port p: bits [p*FW +: FW]
    // Credit returns for the mesh outputs N, E, S, W (from the neighbours' credit_out).
    input  logic [3:0]                credit_in,
    // Outputs after the router's ROUTER_DELAY stages: to the links (0..3), delivered (4..).
    output logic [PORTS-1:0]          out_valid,
    output logic [PORTS*FW-1:0]       out_flit,
    // Credit return of each input (to the upstream router for 0..3; used here for 4..).
    output logic [PORTS-1:0]          credit_out,
    // The Local / I/O-lane input has an injection credit (ports 4..; 0 for 0..3).
    output logic [PORTS-1:0]          inj_ready
);
  localparam int PW = $clog2(PORTS + 1) > 3 ? $clog2(PORTS + 1) : 3;
  localparam int IW = PORTS > 1 ? $clog2(PORTS) : 1;

  // Per port p, flat: head[p*FW +: FW], count[p*CW +: CW], want[p*PW +: PW], winner[o*IW +: IW].
  logic [PORTS*FW-1:0] head;
  logic [PORTS*CW-1:0] count;
  logic [PORTS*PW-1:0] want;
  logic [PORTS-1:0]         pop;
  logic [PORTS-1:0]         has_credit;
  logic [PORTS*CW-1:0] credits;
  logic [PORTS-1:0]         grant;
  logic [PORTS*IW-1:0] winner;
  logic [PORTS-1:0]         ret;
  logic [PORTS*PORTS-1:0]   req_all;

  for (genvar p = 0; p < PORTS; p++) begin : g_in
    input_buffers #(.DEPTH(DEPTH), .FW(FW)) buf_i (
        .clk, .rst, .push(in_valid[p]), .din(in_flit[p*FW +: FW]), .pop(pop[p]), .head(head[p*FW +: FW]), .count(count[p*CW +: CW]));
    route #(.X(X), .Y(Y), .XB(XB), .YB(YB), .LANES(LANES), .PW(PW)) route_i (
        .dx(head[p*FW+AB+1 +: XB]), .dy(head[p*FW+AB+XB+1 +: YB]), .io(head[p*FW+FW-1]),
        .in_port(PW'(p)), .out_port(want[p*PW +: PW]));
    // The freed slot's credit travels back creditDelay - 1 cycles; the counter adds it at the next edge.
    pipe #(.WIDTH(1), .STAGES(CREDIT_DELAY - 1)) credit_pipe (.clk, .rst, .d(pop[p]), .q(ret[p]));
  end

  for (genvar o = 0; o < PORTS; o++) begin : g_out
    logic [PORTS-1:0] req;
    logic found;
    for (genvar i = 0; i < PORTS; i++) begin : g_req
      assign req[i] = count[i*CW +: CW] != '0 && want[i*PW +: PW] == PW'(o);
    end
    assign req_all[o*PORTS +: PORTS] = req;
    if (o < 4) begin : g_mesh
      // Credits for the neighbour's input buffer.
      credit_counter #(.DEPTH(DEPTH)) cc (
          .clk, .rst, .take(grant[o]), .give(credit_in[o]), .count(credits[o*CW +: CW]), .has(has_credit[o]));
      assign credit_out[o] = ret[o];
      assign inj_ready[o] = 1'b0;
    end else begin : g_eject
      // Ejection never waits; this port's input is fed by an endpoint whose credits live here.
      assign has_credit[o] = 1'b1;
      credit_counter #(.DEPTH(DEPTH)) cc (
          .clk, .rst, .take(in_valid[o]), .give(ret[o]), .count(credits[o*CW +: CW]), .has(inj_ready[o]));
      assign credit_out[o] = ret[o];
    end
    arbiter #(.N(PORTS)) arb (.clk, .rst, .req(req), .en(has_credit[o]), .found(found), .idx(winner[o*IW +: IW]));
    assign grant[o] = found && has_credit[o];
    pipe #(.WIDTH(1 + FW), .STAGES(ROUTER_DELAY)) out_stage (
        .clk, .rst, .d({grant[o], head[winner[o*IW +: IW]*FW +: FW]}), .q({out_valid[o], out_flit[o*FW +: FW]}));
  end

  // Each input requests one output, so it is popped by at most one grant.
  always_comb begin
    pop = '0;
    for (int o = 0; o < PORTS; o++) if (grant[o]) pop[winner[o*IW +: IW]] = 1'b1;
  end

  logic [8*32-1:0] counter_value;
  if (COUNTERS != 0) begin : g_counters
    router_counters #(.PORTS(PORTS)) counters (
        .clk, .rst, .in_valid, .req(req_all), .has_credit, .grant, .out_valid,
        .active(count != '0), .value(counter_value));
  end else begin : g_no_counters
    assign counter_value = '0;
  end

`ifdef COSIM
  // Co-simulation observer (test/rtl): per port and cycle, the values after arbitration
  // and whether the port's output sends a flit this cycle (out_valid: the link's activity);
  // per cycle, the counters after the cycle's events.
  import "DPI-C" function void cosim_port(input int router, input int port, input int occupancy,
                                          input int credits, input int push, input int push_id,
                                          input int granted, input int grant_out, input int grant_id,
                                          input int sending);
  import "DPI-C" function void cosim_counters(input int router, input int buffer_writes, input int buffer_reads,
                                              input int crossbar, input int conflicts, input int credit_stalls,
                                              input int link_flits, input int ejected, input int active_cycles);
  always_ff @(posedge clk) begin
    if (!rst) begin
      if (COUNTERS != 0)
        cosim_counters(ROUTER_ID, counter_value[0 +: 32], counter_value[32 +: 32], counter_value[64 +: 32],
                       counter_value[96 +: 32], counter_value[128 +: 32], counter_value[160 +: 32],
                       counter_value[192 +: 32], counter_value[224 +: 32]);
      for (int p = 0; p < PORTS; p++) begin
        int g_out;
        g_out = -1;
        for (int o = 0; o < PORTS; o++) if (grant[o] && $signed(32'(winner[o*IW +: IW])) == p) g_out = o;
        cosim_port(ROUTER_ID, p, $signed(32'(count[p*CW +: CW])) - $signed(32'(pop[p])),
                   p < 4 ? $signed(32'(credits[p*CW +: CW])) - $signed(32'(grant[p])) : $signed(32'(credits[p*CW +: CW])) - $signed(32'(in_valid[p])),
                   $signed(32'(in_valid[p])), $signed(32'(in_flit[p*FW+1 +: AB])),
                   $signed(32'(g_out >= 0)), g_out, $signed(32'(head[p*FW+1 +: AB])),
                   $signed(32'(out_valid[p])));
      end
    end
  end
`endif
endmodule
