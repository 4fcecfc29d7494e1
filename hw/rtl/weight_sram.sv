// weight_sram: the weight SRAM of one core, BANKS banks of WB-bit words (core.sram.wordBits,
// core.sram.banks). Word k of row i lives in bank k mod BANKS at address
// i * ceil(WPR / BANKS) + k div BANKS, so a row's W_i words are read BANKS per cycle.
// Timing rule: every bank reads one word per cycle (asynchronous read, a register file
// in this model); R_i = ceil(W_i / banks) cycles per row. docs/timing-model.md, "Neuron core".
module weight_sram #(
    parameter int ROWS  = 16,
    parameter int WPR   = 4,   // words per row at most
    parameter int WB    = 8,
    parameter int BANKS = 1,
    parameter int DPB   = ROWS * ((WPR + BANKS - 1) / BANKS),  // words per bank
    parameter int AW    = DPB > 1 ? $clog2(DPB) : 1,
    parameter int BW    = BANKS > 1 ? $clog2(BANKS) : 1
) (
    input  logic                     clk,
    // Write port (loading weights; the learning row pass would use it too).
    input  logic                     we,
    input  logic [BW-1:0]            wbank,
    input  logic [AW-1:0]            waddr,
    input  logic [WB-1:0]            wdata,
    // One read per bank and cycle.
    input  logic [BANKS*AW-1:0]     raddr,   // bank b: bits [b*AW +: AW]
    output logic [BANKS*WB-1:0]     rdata    // bank b: bits [b*WB +: WB]
);
  for (genvar b = 0; b < BANKS; b++) begin : g_bank
    logic [WB-1:0] mem[DPB];
    always_ff @(posedge clk) if (we && $signed(32'(wbank)) == b) mem[waddr] <= wdata;
    assign rdata[b*WB +: WB] = mem[raddr[b*AW +: AW]];
  end
endmodule
