import CHDF5
