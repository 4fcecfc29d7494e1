// datapath: the commit stage and output queue of a neuron core (src/chip/core/datapath.ts).
// Timing rules (docs/timing-model.md, "Neuron core"):
//  - the row in the commit stage (valid) pushes its npk packets (one per destination core,
//    ascending) into the QDEPTH-flit output queue, as many per cycle as there is room;
//  - the queue hands at most one flit per cycle to the router's Local input, and only with
//    a credit (inj_ready); a packet pushed in cycle c can be handed over in c (when it is at
//    the head), so it is in the router's buffer at c + 1; the slot it frees can be refilled in c;
//  - a row that cannot push all its packets stays in the commit stage (stall): row_done
//    is low and the core's whole pipeline holds, so every later row moves by the same cycles.
module datapath #(
    parameter int QDEPTH = 8,
    parameter int MAXD   = 4,
    parameter int DB     = 8,   // destination id bits
    parameter int AB     = 16,  // axon bits
    parameter int DW     = $clog2(MAXD + 1),
    parameter int QW     = $clog2(QDEPTH + 1),
    parameter int QA     = QDEPTH > 1 ? $clog2(QDEPTH) : 1
) (
    input  logic                     clk,
    input  logic                     rst,
    input  logic                     valid,
    input  logic [DW-1:0]            npk,
    input  logic [AB-1:0]            row_index,   // global neuron index of the row
    input  logic                     payload,
    input  logic [MAXD*DB-1:0]       dest,            // destination d: bits [d*DB +: DB]
    input  logic [MAXD*AB-1:0]       dest_axon_base,  // its axon segment base: [d*AB +: AB]
    output logic                     row_done,
    input  logic                     inj_ready,
    output logic                     inj_valid,
    output logic [DB-1:0]            inj_dest,
    output logic [AB-1:0]            inj_axon,
    output logic                     inj_payload,
    output logic [QW-1:0]            queued
);
  localparam int EW = DB + AB + 1;
  logic [EW-1:0] q[QDEPTH];
  logic [QA-1:0] qh;
  logic [QW-1:0] qn;
  logic [DW-1:0] sent;
  logic [DW-1:0] pending, push;
  logic [QW:0] space;
  logic drain;
  logic [EW-1:0] first, out;

  function automatic logic [QA-1:0] wrap(input int a);
    wrap = QA'(a % QDEPTH);
  endfunction

  always_comb begin
    pending  = valid ? npk - sent : '0;
    drain    = inj_ready && (qn != '0 || pending != '0);
    space    = (QW+1)'(QDEPTH) - (QW+1)'(qn) + (QW+1)'(drain);
    push     = $signed(32'(pending)) < $signed(32'(space)) ? pending : DW'(space);
    row_done = valid && pending == push;
    first    = {dest[sent*DB +: DB], AB'(dest_axon_base[sent*AB +: AB] + row_index), payload};
    out      = qn != '0 ? q[qh] : first;
    inj_valid = drain;
    {inj_dest, inj_axon, inj_payload} = out;
    queued = qn;
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      qh <= '0;
      qn <= '0;
      sent <= '0;
    end else begin
      for (int k = 0; k < MAXD; k++) begin
        if (k < $signed(32'(push))) begin
          int d;
          d = $signed(32'(sent)) + k;
          q[wrap($signed(32'(qh)) + $signed(32'(qn)) + k)] <= {dest[d*DB +: DB], AB'(dest_axon_base[d*AB +: AB] + row_index), payload};
        end
      end
      qh <= drain ? wrap($signed(32'(qh)) + 1) : qh;
      qn <= qn + QW'(push) - QW'(drain);
      sent <= row_done ? '0 : sent + push;
    end
  end
endmodule
