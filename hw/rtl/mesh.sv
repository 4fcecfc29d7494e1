// mesh: W x H routers joined by links, with the endpoints' injection and ejection ports
// and the I/O port's lanes (src/chip/noc/mesh.ts).
// Timing rules (docs/timing-model.md, "Router", "Links and credits", "I/O port"):
//  - router (x, y) has id y * W + x; North = y - 1, East = x + 1, South = y + 1, West = x - 1;
//  - inject at c (inj_valid with inj_ready) -> in the router's input buffer at c + 1;
//  - granted at g -> next router's buffer at g + routerDelay + linkDelay, or delivered
//    (ej_valid / io_ej_valid) at g + routerDelay; credits back at g + creditDelay;
//  - the I/O port attaches to router (IO_X, IO_Y) through LANES extra ports (io_port).
module mesh #(
    parameter int W            = 2,
    parameter int H            = 2,
    parameter int AB           = 8,
    parameter int DEPTH        = 4,
    parameter int ROUTER_DELAY = 1,
    parameter int LINK_DELAY   = 1,
    parameter int CREDIT_DELAY = 1,
    parameter int LANES        = 1,
    parameter int IO_X         = 0,
    parameter int IO_Y         = 0,
    parameter int COUNTERS     = 0,  // 1: every router keeps its event counters (router_counters)
    parameter int XB           = W > 1 ? $clog2(W) : 1,
    parameter int YB           = H > 1 ? $clog2(H) : 1,
    parameter int FW           = 2 + AB + XB + YB,
    parameter int R            = W * H,
    parameter int NW           = $clog2(LANES + 1)
) (
    input  logic                     clk,
    input  logic                     rst,
    // Cores (endpoint e = router e): Local port injection and ejection.
    input  logic [R-1:0]             inj_valid,
    input  logic [R-1:0][FW-1:0]     inj_flit,
    output logic [R-1:0]             inj_ready,
    output logic [R-1:0]             ej_valid,
    output logic [R-1:0][FW-1:0]     ej_flit,
    // The I/O port: up to LANES offered flits per cycle, `io_taken` of them enter.
    input  logic [NW-1:0]            io_offered,
    input  logic [LANES-1:0][FW-1:0] io_flit,
    output logic [NW-1:0]            io_taken,
    output logic [LANES-1:0]         io_ej_valid,
    output logic [LANES-1:0][FW-1:0] io_ej_flit
);
  localparam int IO_R = IO_Y * W + IO_X;
  localparam int PMAX = 5 + LANES;

  // Per router, ports 0..PMAX-1 (routers without I/O lanes use 0..4).
  logic [PMAX-1:0]         rin_valid [R];
  logic [PMAX-1:0][FW-1:0] rin_flit  [R];
  logic [PMAX-1:0]         rout_valid[R];
  logic [PMAX-1:0][FW-1:0] rout_flit [R];
  logic [PMAX-1:0]         rcredit   [R];
  logic [PMAX-1:0]         rready    [R];
  logic [3:0]              rcredit_in[R];
  logic [LANES-1:0]        lane_valid;
  logic [LANES-1:0][FW-1:0] lane_flit;

  io_port #(.LANES(LANES), .FW(FW)) io (
      .clk, .rst, .offered(io_offered), .in_flit(io_flit), .taken(io_taken),
      .lane_ready(rready[IO_R][PMAX-1:5]), .lane_valid(lane_valid), .lane_flit(lane_flit));

  for (genvar r = 0; r < R; r++) begin : g_tile
    localparam int X = r % W;
    localparam int Y = r / W;
    localparam int P = r == IO_R ? PMAX : 5;
    router #(.ROUTER_ID(r), .X(X), .Y(Y), .XB(XB), .YB(YB), .AB(AB), .LANES(LANES), .PORTS(P),
             .DEPTH(DEPTH), .ROUTER_DELAY(ROUTER_DELAY), .CREDIT_DELAY(CREDIT_DELAY), .COUNTERS(COUNTERS)) rt (
        .clk, .rst,
        .in_valid(rin_valid[r][P-1:0]), .in_flit(rin_flit[r][P-1:0]), .credit_in(rcredit_in[r]),
        .out_valid(rout_valid[r][P-1:0]), .out_flit(rout_flit[r][P-1:0]),
        .credit_out(rcredit[r][P-1:0]), .inj_ready(rready[r][P-1:0]));
    if (P < PMAX) begin : g_unused
      assign rout_valid[r][PMAX-1:P] = '0;
      assign rout_flit[r][PMAX-1:P]  = '0;
      assign rcredit[r][PMAX-1:P]    = '0;
      assign rready[r][PMAX-1:P]     = '0;
      assign rin_valid[r][PMAX-1:P]  = '0;
      assign rin_flit[r][PMAX-1:P]   = '0;
    end
    // Local port: the core.
    assign rin_valid[r][4] = inj_valid[r];
    assign rin_flit[r][4]  = inj_flit[r];
    assign inj_ready[r]    = rready[r][4];
    assign ej_valid[r]     = rout_valid[r][4];
    assign ej_flit[r]      = rout_flit[r][4];
    if (r == IO_R) begin : g_io
      assign rin_valid[r][PMAX-1:5] = lane_valid;
      assign rin_flit[r][PMAX-1:5]  = lane_flit;
      assign io_ej_valid = rout_valid[r][PMAX-1:5];
      assign io_ej_flit  = rout_flit[r][PMAX-1:5];
    end
    // Mesh ports: the link from the neighbour in direction d arrives at input d;
    // the neighbour's input opposite to d returns the credits of output d.
    for (genvar d = 0; d < 4; d++) begin : g_dir
      localparam int NX = d == 1 ? X + 1 : d == 3 ? X - 1 : X;
      localparam int NY = d == 2 ? Y + 1 : d == 0 ? Y - 1 : Y;
      localparam int OPP = (d + 2) % 4;
      if (NX >= 0 && NX < W && NY >= 0 && NY < H) begin : g_link
        localparam int NR = NY * W + NX;
        link #(.FW(FW), .LINK_DELAY(LINK_DELAY)) l (
            .clk, .rst, .in_valid(rout_valid[NR][OPP]), .in_flit(rout_flit[NR][OPP]),
            .out_valid(rin_valid[r][d]), .out_flit(rin_flit[r][d]));
        assign rcredit_in[r][d] = rcredit[NR][OPP];
      end else begin : g_edge
        assign rin_valid[r][d]  = 1'b0;
        assign rin_flit[r][d]   = '0;
        assign rcredit_in[r][d] = 1'b0;
      end
    end
  end
endmodule
