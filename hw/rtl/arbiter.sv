// arbiter: round-robin arbiter of one router output over N inputs.
// Timing rule: grants the first requesting input at or after the pointer (cyclically);
// when the grant is taken (en: the output has a credit) the pointer moves just past the
// winner. docs/timing-model.md, "Router" (arbitration). TypeScript: src/chip/router/arbiter.ts.
module arbiter #(
    parameter int N  = 5,
    parameter int IW = N > 1 ? $clog2(N) : 1
) (
    input  logic          clk,
    input  logic          rst,
    input  logic [N-1:0]  req,
    input  logic          en,
    output logic          found,
    output logic [IW-1:0] idx
);
  logic [IW-1:0] ptr;
  always_comb begin
    found = 1'b0;
    idx   = '0;
    for (int k = 0; k < N; k++) begin
      int i;
      i = $signed(32'(ptr)) + k;
      if (i >= N) i = i - N;
      if (!found && req[i]) begin
        found = 1'b1;
        idx   = IW'(i);
      end
    end
  end
  always_ff @(posedge clk) begin
    if (rst) ptr <= '0;
    else if (en && found) ptr <= (idx == IW'(N - 1)) ? '0 : idx + 1'b1;
  end
endmodule
