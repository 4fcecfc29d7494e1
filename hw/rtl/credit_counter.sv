// credit_counter: the credits a sender holds for one downstream input buffer, one per
// free slot, initially DEPTH (noc.bufferDepth).
// Timing rule: sending takes a credit in the cycle of the send; a returned credit (give,
// raised creditDelay - 1 cycles after the downstream grant by the credit pipe) is
// counted at the next edge, so it is usable creditDelay cycles after the grant.
// docs/timing-model.md, "Links and credits".
module credit_counter #(
    parameter int DEPTH = 4,
    parameter int CW    = $clog2(DEPTH + 1)
) (
    input  logic          clk,
    input  logic          rst,
    input  logic          take,
    input  logic          give,
    output logic [CW-1:0] count,
    output logic          has
);
  assign has = count != '0;
  always_ff @(posedge clk) begin
    if (rst) count <= CW'(DEPTH);
    else count <= count - CW'(take) + CW'(give);
  end
endmodule
