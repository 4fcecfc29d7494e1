// neuron_core: the datapath of one neuron core for a network step (src/chip/core/neuron-core.ts).
// Timing rules (docs/timing-model.md, "Neuron core"):
//  - start in cycle t - 1 (the barrier's command) latches the axon registers at the edge
//    (cur <- next; deliveries write next); from cycle t the core reads the rows in ascending
//    order, BANKS words of the weight SRAM per cycle: row i
//    reads in R_i = ceil(W_i / banks) cycles, W_i = ceil((n_prev + n_next) / WB) words;
//  - each word adds popcount(w AND x), popcount(x), popcount(w XOR x) of its forward and
//    backward bits to the row's accumulators; after the row's last read they pass
//    1 + PIPE registers (core.pipelineDepth = PIPE), so row i commits at
//    C_i = t + sum_{m<=i} R_m + pipelineDepth + stalls (neuron_block computes the state);
//  - in its commit cycle a row whose spike changed (or every row, every_step) pushes one
//    packet per destination core into the output queue (datapath); while it cannot, the
//    whole pipeline holds (in-order stall); the step ends (done) when the last row leaves.
// Configuration inputs (segment sizes, k factors, destinations) are what the mapping and
// the dynamics section fix; they are registers a host writes, inputs here. The learning
// row pass (read-modify-write of weights and counters) and the readout are not modelled.
module neuron_core #(
    parameter int NEURONS    = 16,   // core.neurons
    parameter int AXONS      = 64,   // core.axons (= forward + backward fan-in bits here)
    parameter int WB         = 8,    // core.sram.wordBits
    parameter int BANKS      = 1,    // core.sram.banks
    parameter int ACC_BITS   = 16,   // core.accumulatorBits
    parameter int STATE_BITS = 8,    // core.stateBits
    parameter int BIAS_BITS  = 8,
    parameter int PIPE       = 2,    // core.pipelineDepth
    parameter int QDEPTH     = 8,    // core.outQueueDepth
    parameter int MAXD       = 4,    // destination cores of a layer's spikes
    parameter int DB         = 8,
    parameter int AB         = 16,
    parameter int WPR        = (AXONS + WB - 1) / WB,
    parameter int CNT        = $clog2(AXONS + 1) + 1,
    parameter int RW         = NEURONS > 1 ? $clog2(NEURONS) : 1,
    parameter int XW         = AXONS > 1 ? $clog2(AXONS) : 1,
    parameter int DW         = $clog2(MAXD + 1),
    parameter int DPR        = (WPR + BANKS - 1) / BANKS,
    parameter int SAW        = NEURONS * DPR > 1 ? $clog2(NEURONS * DPR) : 1,
    parameter int BW         = BANKS > 1 ? $clog2(BANKS) : 1
) (
    input  logic                        clk,
    input  logic                        rst,
    // Configuration.
    input  logic                        binary,
    input  logic                        every_step,
    input  logic [CNT-1:0]              n_prev,
    input  logic [CNT-1:0]              n_next,
    input  logic [RW:0]                 rows,
    input  logic [AB-1:0]               row_start,
    input  logic signed [7:0]           k_fwd,
    input  logic signed [7:0]           k_bwd,
    input  logic signed [15:0]          offset,
    input  logic [4:0]                  state_shift,
    input  logic [DW-1:0]               ndest,
    input  logic [MAXD*DB-1:0]          dest,            // destination d: bits [d*DB +: DB]
    input  logic [MAXD*AB-1:0]          dest_axon_base,  // its axon segment base
    // Loading weights (weight_sram write port) and row registers.
    input  logic                        w_we,
    input  logic [BW-1:0]               w_bank,
    input  logic [SAW-1:0]              w_addr,
    input  logic [WB-1:0]               w_data,
    input  logic                        s_we,
    input  logic [RW-1:0]               s_row,
    input  logic [STATE_BITS-1:0]       s_state,
    input  logic                        s_spike,
    input  logic signed [BIAS_BITS-1:0] s_bias,
    // Packet arrivals: axon register bit writes (the next-step register).
    input  logic                        ax_we,
    input  logic [XW-1:0]               ax_idx,
    input  logic                        ax_val,
    // Step control.
    input  logic                        start,
    output logic                        busy,
    output logic                        done,
    // To the router's Local input.
    input  logic                        inj_ready,
    output logic                        inj_valid,
    output logic [DB-1:0]               inj_dest,
    output logic [AB-1:0]               inj_axon,
    output logic                        inj_payload
);
  localparam int STW = 1 + RW + 6 * CNT;

  logic [AXONS-1:0] ax_next, ax_cur;
  logic [STATE_BITS-1:0] state[NEURONS];
  logic [NEURONS-1:0] spikes;
  logic [BIAS_BITS-1:0] bias[NEURONS];

  // Reader: row r, first word wk of this cycle, bank address wa.
  logic reading;
  logic [RW:0] r;
  logic [CNT-1:0] wk;
  logic [SAW-1:0] wa;
  logic [CNT-1:0] row_words;
  logic [BANKS*SAW-1:0] raddr;
  logic [BANKS*WB-1:0] rdata;
  logic [CNT-1:0] acc_af, acc_xf, acc_of, acc_ab, acc_xb, acc_ob;
  logic [CNT-1:0] c_af, c_xf, c_of, c_ab, c_xb, c_ob;
  logic last_word;
  logic hold;

  // Pipeline stages 0..PIPE: {valid, row, six counts}.
  logic [(PIPE+1)*STW-1:0] stage;  // stage k: bits [k*STW +: STW]

  assign row_words = CNT'(($signed(32'(n_prev)) + $signed(32'(n_next)) + WB - 1) / WB);

  weight_sram #(.ROWS(NEURONS), .WPR(WPR), .WB(WB), .BANKS(BANKS)) sram (
      .clk, .we(w_we), .wbank(w_bank), .waddr(w_addr), .wdata(w_data), .raddr(raddr), .rdata(rdata));

  // Word popcounts of this cycle, split into the forward and backward segments.
  always_comb begin
    c_af = '0; c_xf = '0; c_of = '0; c_ab = '0; c_xb = '0; c_ob = '0;
    for (int b = 0; b < BANKS; b++) begin
      raddr[b*SAW +: SAW] = wa;
      if ($signed(32'(wk)) + b < $signed(32'(row_words))) begin
        for (int j = 0; j < WB; j++) begin
          int pos;
          logic w, x;
          pos = ($signed(32'(wk)) + b) * WB + j;
          w = rdata[b*WB + j];
          x = pos < AXONS ? ax_cur[pos] : 1'b0;
          if (pos < $signed(32'(n_prev))) begin
            c_af = c_af + CNT'(w & x);
            c_xf = c_xf + CNT'(x);
            c_of = c_of + CNT'(w ^ x);
          end else if (pos < $signed(32'(n_prev)) + $signed(32'(n_next))) begin
            c_ab = c_ab + CNT'(w & x);
            c_xb = c_xb + CNT'(x);
            c_ob = c_ob + CNT'(w ^ x);
          end
        end
      end
    end
    last_word = $signed(32'(wk)) + BANKS >= $signed(32'(row_words));
  end

  // Commit stage: the row's arithmetic and its packets.
  logic c_valid;
  logic [RW-1:0] c_row;
  logic [CNT-1:0] s_af, s_xf, s_of, s_ab, s_xb, s_ob;
  assign {c_valid, c_row, s_af, s_xf, s_of, s_ab, s_xb, s_ob} = stage[PIPE*STW +: STW];
  logic signed [31:0] dot_f, dot_b, acc;
  logic [STATE_BITS-1:0] state_next;
  logic spike_next, row_done, entry;

  neuron_block #(.ACC_BITS(ACC_BITS), .STATE_BITS(STATE_BITS), .BIAS_BITS(BIAS_BITS), .CNT(CNT)) nb (
      .binary, .n_prev, .n_next, .k_fwd, .k_bwd, .offset, .state_shift,
      .and_f(s_af), .x_f(s_xf), .xor_f(s_of), .and_b(s_ab), .x_b(s_xb), .xor_b(s_ob),
      .bias(bias[c_row]), .state(state[c_row]),
      .dot_f, .dot_b, .acc, .state_next, .spike(spike_next));

  assign entry = c_valid && (every_step || spike_next != spikes[c_row]);

  datapath #(.QDEPTH(QDEPTH), .MAXD(MAXD), .DB(DB), .AB(AB)) dp (
      .clk, .rst, .valid(c_valid), .npk(entry ? ndest : '0), .row_index(row_start + AB'(c_row)),
      .payload(spike_next), .dest, .dest_axon_base, .row_done,
      .inj_ready, .inj_valid, .inj_dest, .inj_axon, .inj_payload, .queued());

  // The whole pipeline holds while the commit stage's row cannot leave.
  assign hold = c_valid && !row_done;
  assign done = c_valid && row_done && $signed(32'(c_row)) == $signed(32'(rows)) - 1;

  always_ff @(posedge clk) begin
    if (rst) begin
      reading <= 1'b0;
      busy <= 1'b0;
      stage <= '0;
      ax_next <= '0;
      ax_cur <= '0;
      spikes <= '0;
    end else begin
      if (ax_we) ax_next[ax_idx] <= ax_val;
      if (s_we) begin
        state[s_row] <= s_state;
        spikes[s_row] <= s_spike;
        bias[s_row] <= s_bias;
      end
      if (start) begin
        ax_cur <= ax_next;
        reading <= 1'b1;
        busy <= 1'b1;
        r <= '0;
        wk <= '0;
        wa <= '0;
        {acc_af, acc_xf, acc_of, acc_ab, acc_xb, acc_ob} <= '0;
      end else if (!hold) begin
        // Advance the stages; stage 0 takes a row's counts after its last read.
        stage <= stage << STW;
        if (reading) begin
          if (last_word) begin
            stage[STW-1:0] <= {1'b1, RW'(r), acc_af + c_af, acc_xf + c_xf, acc_of + c_of,
                         acc_ab + c_ab, acc_xb + c_xb, acc_ob + c_ob};
            {acc_af, acc_xf, acc_of, acc_ab, acc_xb, acc_ob} <= '0;
            wk <= '0;
            wa <= SAW'(($signed(32'(r)) + 1) * DPR);
            r <= r + 1'b1;
            if ($signed(32'(r)) + 1 == $signed(32'(rows))) reading <= 1'b0;
          end else begin
            {acc_af, acc_xf, acc_of, acc_ab, acc_xb, acc_ob} <=
                {acc_af + c_af, acc_xf + c_xf, acc_of + c_of, acc_ab + c_ab, acc_xb + c_xb, acc_ob + c_ob};
            wk <= wk + CNT'(BANKS);
            wa <= wa + 1'b1;
          end
        end
        if (c_valid) begin
          state[c_row] <= state_next;
          spikes[c_row] <= spike_next;
        end
        if (done) busy <= 1'b0;
      end
    end
  end

`ifdef COSIM
  import "DPI-C" function void cosim_row(input int row, input int dot_f, input int dot_b, input int acc,
                                         input int state, input int spike);
  import "DPI-C" function void cosim_core(input int inj_valid, input int dest, input int axon, input int payload,
                                          input int done);
  always_ff @(posedge clk) begin
    if (!rst) begin
      if (c_valid && row_done) cosim_row($signed(32'(c_row)), dot_f, dot_b, acc, $signed(32'(state_next)), $signed(32'(spike_next)));
      cosim_core($signed(32'(inj_valid)), $signed(32'(inj_dest)), $signed(32'(inj_axon)), $signed(32'(inj_payload)), $signed(32'(done)));
    end
  end
`endif
endmodule
