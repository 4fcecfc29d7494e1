// pipe: a chain of STAGES registers (STAGES = 0 is a wire).
// Timing rule: a value presented in cycle c appears at the output in cycle c + STAGES.
// Used for the router's output stages (routerDelay), the links (linkDelay - 1, the
// downstream buffer write being the last stage) and the credit wires (creditDelay - 1,
// the credit counter's update being the last stage). docs/timing-model.md, "Links and credits".
module pipe #(
    parameter int WIDTH  = 1,
    parameter int STAGES = 1
) (
    input  logic             clk,
    input  logic             rst,
    input  logic [WIDTH-1:0] d,
    output logic [WIDTH-1:0] q
);
  if (STAGES == 0) begin : g_wire
    assign q = d;
  end else if (STAGES == 1) begin : g_reg
    always_ff @(posedge clk) q <= rst ? '0 : d;
  end else begin : g_regs
    logic [STAGES*WIDTH-1:0] r;  // stage k: bits [k*WIDTH +: WIDTH]
    always_ff @(posedge clk) begin
      if (rst) r <= '0;
      else r <= {r[(STAGES-1)*WIDTH-1:0], d};
    end
    assign q = r[STAGES*WIDTH-1 -: WIDTH];
  end
endmodule
