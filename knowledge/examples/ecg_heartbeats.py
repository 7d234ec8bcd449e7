# Detect every heartbeat in a single-lead ECG recorded at 360 Hz and report, for the recording,
# how many R-peaks were found, the R-R intervals in seconds and the mean heart rate in beats per
# minute. Input: a 1-D numpy array of the ECG in millivolts. Runs on a laptop, no GPU.
