// Included by every shader. Built with MYBRO_STRICT_FLOATS (scripts/generate-shaders.sh makes
// both builds), a shader asks for SPV_KHR_float_controls' DenormPreserve and
// SignedZeroInfNanPreserve on 32-bit floats: without them a driver may flush subnormals to zero
// and assume no NaN or infinity (NVIDIA's did both: exp of −103 gave 0, log of 1e−40 −inf). The
// host uses this build only where the device says it honours both modes.
#ifdef MYBRO_STRICT_FLOATS
#extension GL_EXT_spirv_intrinsics : require
spirv_execution_mode(extensions = ["SPV_KHR_float_controls"], capabilities = [4464], 4459, 32);
spirv_execution_mode(extensions = ["SPV_KHR_float_controls"], capabilities = [4466], 4461, 32);
#endif
