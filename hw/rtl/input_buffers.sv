// input_buffers: the FIFO input buffer of one router port, DEPTH flits (noc.bufferDepth).
// Timing rule: a flit written in cycle c is in the buffer (and may be granted) in cycle
// c + 1; the head leaves in the cycle it is granted (pop). Push and pop in one cycle are
// allowed. Credits (credit_counter at the sender) keep it from overflowing.
// TypeScript: src/chip/router/input-buffers.ts.
module input_buffers #(
    parameter int DEPTH = 4,
    parameter int FW    = 8,
    parameter int CW    = $clog2(DEPTH + 1)
) (
    input  logic          clk,
    input  logic          rst,
    input  logic          push,
    input  logic [FW-1:0] din,
    input  logic          pop,
    output logic [FW-1:0] head,
    output logic [CW-1:0] count
);
  localparam int AW = DEPTH > 1 ? $clog2(DEPTH) : 1;
  logic [FW-1:0] mem[DEPTH];
  logic [AW-1:0] rd, wr;

  function automatic logic [AW-1:0] inc(input logic [AW-1:0] a);
    inc = (a == AW'(DEPTH - 1)) ? '0 : a + 1'b1;
  endfunction

  assign head = mem[rd];
  always_ff @(posedge clk) begin
    if (rst) begin
      rd <= '0;
      wr <= '0;
      count <= '0;
    end else begin
      if (push) begin
        mem[wr] <= din;
        wr <= inc(wr);
      end
      if (pop) rd <= inc(rd);
      count <= count + CW'(push) - CW'(pop);
    end
  end
endmodule
