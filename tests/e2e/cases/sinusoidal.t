# A model with the fixed sinusoidal positions.
#! args: --no-window
#! model: sinusoidal
paris is the capital of france
pos
pos full
model
