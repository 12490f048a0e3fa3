include(CMakePackageConfigHelpers)
set(TRACELINT_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tracelint)
install(EXPORT tracelintTargets NAMESPACE tracelint:: DESTINATION ${TRACELINT_CMAKE_INSTALL_DIR})
if(TARGET tl_gtest)
  install(EXPORT tracelintGtestTargets NAMESPACE tracelint:: DESTINATION ${TRACELINT_CMAKE_INSTALL_DIR})
endif()
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/tracelintConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/tracelintConfig.cmake INSTALL_DESTINATION ${TRACELINT_CMAKE_INSTALL_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/tracelintConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/tracelintConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/tracelintConfigVersion.cmake
        DESTINATION ${TRACELINT_CMAKE_INSTALL_DIR})
