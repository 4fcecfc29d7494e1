// route: dimension-order (XY) routing of the head flit of one input port.
// Timing rule: combinational (the request is made in the cycle the flit is the head).
// X first, then Y; at the destination router the Local port, or for the I/O port the
// lane (input port index mod LANES). Ports: 0 N (y-1), 1 E (x+1), 2 S (y+1), 3 W (x-1),
// 4 Local, 5.. I/O lanes. docs/timing-model.md, "Router" and "I/O port".
// TypeScript: src/chip/router/route.ts, src/chip/router/ports.ts.
module route #(
    parameter int X     = 0,
    parameter int Y     = 0,
    parameter int XB    = 1,
    parameter int YB    = 1,
    parameter int LANES = 1,
    parameter int PW    = 5
) (
    input  logic [XB-1:0] dx,
    input  logic [YB-1:0] dy,
    input  logic          io,
    input  logic [PW-1:0] in_port,
    output logic [PW-1:0] out_port
);
  always_comb begin
    if ($signed(32'(dx)) > X) out_port = PW'(1);
    else if ($signed(32'(dx)) < X) out_port = PW'(3);
    else if ($signed(32'(dy)) > Y) out_port = PW'(2);
    else if ($signed(32'(dy)) < Y) out_port = PW'(0);
    else if (io) out_port = PW'(5 + $signed(32'(in_port)) % LANES);
    else out_port = PW'(4);
  end
endmodule
