// The umbrella module: `import Pretext` gives the whole library.
@_exported import PretextData
@_exported import PretextNN
@_exported import PretextSSL
@_exported import PretextTransfer
@_exported import PretextBaselines
@_exported import PretextAuto
@_exported import PretextReport
