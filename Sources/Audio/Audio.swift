import CSndFile
import CSoxr
