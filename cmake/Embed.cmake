# vqfuse_embed(OUT_CPP SYMBOL FILE): generates a .cpp defining
#   extern const unsigned char SYMBOL[]; extern const unsigned long SYMBOL_size;
# with the bytes of FILE, regenerated when FILE changes.
function(vqfuse_embed out_cpp symbol file)
  add_custom_command(
    OUTPUT ${out_cpp}
    COMMAND ${CMAKE_COMMAND} -DIN=${file} -DOUT=${out_cpp} -DSYMBOL=${symbol}
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedScript.cmake
    DEPENDS ${file} ${PROJECT_SOURCE_DIR}/cmake/EmbedScript.cmake
    COMMENT "Embedding ${file}")
endfunction()
