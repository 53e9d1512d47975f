// Module NN: see DESIGN.md for its place in the layers.
