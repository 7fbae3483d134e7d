-- Statistical process control (NHS England Making Data Count XmR charts, macro spc_xmr) of every monthly indicator,
-- one row per (indicator, measure, geography, month end): the rate or mean itself ('value'), its slope index of
-- inequality by IMD quintile ('sii') and its absolute gap between the most and least deprived quintiles ('gap',
-- positive = the most deprived worse off), for every practice, PCN and borough (and the ICB).
-- Improvement direction: for 'value' the indicator's polarity; for 'sii' and 'gap' narrower is better, i.e. towards
-- zero from the side the series sits on (its mean's sign). Limits come from each baseline segment: a practice that
-- ran a QI project on the indicator is rebased at the project start ('before_<project>' then '<project>'); other
-- series are one segment ('all'). Run lengths: vars spc_shift_length (7) and spc_trend_length (6), the NHS defaults.
{{ indicator_spc_charts(ref('fct_indicator_rates'), ref('fct_inequality_indices')) }}
