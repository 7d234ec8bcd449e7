# Count the steps a person takes from a wrist-worn 3-axis accelerometer sampled at 50 Hz and
# estimate the cadence in steps per minute. Input: an (n, 3) numpy array of accelerations in m/s^2.
